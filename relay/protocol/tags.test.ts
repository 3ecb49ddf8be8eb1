import { describe, expect, it } from 'vitest'
import { addressOf, expirationOf, indexedTags, isProtected, supersedes } from './tags'

const pk = 'a'.repeat(64)

describe('tags', () => {
  it('indexes single-letter tags by their first value, once each', () => {
    expect(indexedTags({ tags: [['e', 'x', 'relay'], ['e', 'x'], ['E', 'y'], ['ee', 'z'], ['p'], ['1', 'n'], ['t', '']] })).toEqual([
      ['e', 'x'], ['E', 'y'], ['t', ''],
    ])
  })
  it('addresses replaceable and addressable events', () => {
    expect(addressOf({ kind: 0, pubkey: pk, tags: [] })).toBe(`0:${pk}:`)
    expect(addressOf({ kind: 30023, pubkey: pk, tags: [['d', 'x']] })).toBe(`30023:${pk}:x`)
    expect(addressOf({ kind: 30023, pubkey: pk, tags: [] })).toBe(`30023:${pk}:`)
    expect(addressOf({ kind: 1, pubkey: pk, tags: [['d', 'x']] })).toBeNull()
  })
  it('reads expiration and protection', () => {
    expect(expirationOf({ tags: [['expiration', '10']] })).toBe(10)
    expect(expirationOf({ tags: [['expiration', 'soon']] })).toBeNull()
    expect(isProtected({ tags: [['-']] })).toBe(true)
    expect(isProtected({ tags: [['-', 'x']] })).toBe(false)
  })
  it('orders versions: newer first, then lowest id', () => {
    expect(supersedes({ created_at: 2, id: 'b' }, { created_at: 1, id: 'a' })).toBe(true)
    expect(supersedes({ created_at: 1, id: 'a' }, { created_at: 1, id: 'b' })).toBe(true)
    expect(supersedes({ created_at: 1, id: 'b' }, { created_at: 1, id: 'a' })).toBe(false)
    expect(supersedes({ created_at: 1, id: 'a' }, { created_at: 1, id: 'a' })).toBe(false)
  })
})
