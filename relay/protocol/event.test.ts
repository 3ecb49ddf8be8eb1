import { describe, expect, it } from 'vitest'
import { canonicalEvent, checkEventShape, kindClass, rawEventId, serializeForId, type NostrEvent } from './event'

const limits = { maxEventTags: 3, maxContentLength: 5, createdAtLowerLimit: 100, createdAtUpperLimit: 10 }
const now = 1_000_000
const valid: NostrEvent = { id: 'a'.repeat(64), pubkey: 'b'.repeat(64), created_at: now, kind: 1, tags: [['t', 'x']], content: 'hi', sig: 'c'.repeat(128) }

describe('kindClass', () => {
  it.each([
    [0, 'replaceable'], [3, 'replaceable'], [10000, 'replaceable'], [19999, 'replaceable'],
    [1, 'regular'], [2, 'regular'], [4, 'regular'], [5050, 'regular'], [40000, 'regular'],
    [20000, 'ephemeral'], [29999, 'ephemeral'],
    [30000, 'addressable'], [39999, 'addressable'],
  ])('kind %i is %s', (kind, cls) => expect(kindClass(kind)).toBe(cls))
})

describe('checkEventShape', () => {
  it('accepts a well-formed event', () => expect(checkEventShape(valid, limits, now)).toBeNull())
  it.each([
    ['not an object', 'x'],
    ['an array', []],
    ['uppercase id', { ...valid, id: 'A'.repeat(64) }],
    ['short pubkey', { ...valid, pubkey: 'b'.repeat(63) }],
    ['short sig', { ...valid, sig: 'c'.repeat(64) }],
    ['string kind', { ...valid, kind: '1' }],
    ['kind over 65535', { ...valid, kind: 70000 }],
    ['fractional created_at', { ...valid, created_at: now + 0.5 }],
    ['content not a string', { ...valid, content: 1 }],
    ['tags not an array', { ...valid, tags: {} }],
    ['an empty tag', { ...valid, tags: [[]] }],
    ['a number in a tag', { ...valid, tags: [['t', 1]] }],
    ['too many tags', { ...valid, tags: [['a'], ['b'], ['c'], ['d']] }],
    ['content too long', { ...valid, content: '123456' }],
    ['created_at too old', { ...valid, created_at: now - 101 }],
    ['created_at too far ahead', { ...valid, created_at: now + 11 }],
  ])('refuses %s', (_, e) => expect(checkEventShape(e, limits, now)).toMatch(/.+/))
  it('counts content in characters, not UTF-16 units', () => {
    expect(checkEventShape({ ...valid, content: '😀😀😀😀😀' }, limits, now)).toBeNull()
  })
})

describe('canonical form', () => {
  it('drops unknown fields and puts the id first', () => {
    const raw = JSON.stringify(canonicalEvent({ ...valid, extra: 1 } as NostrEvent))
    expect(raw).not.toContain('extra')
    expect(rawEventId(raw)).toBe(valid.id)
  })
  it('serializes for the id as NIP-01 says', () => {
    expect(serializeForId({ ...valid, content: 'a"\n' })).toBe(`[0,"${'b'.repeat(64)}",${now},1,[["t","x"]],"a\\"\\n"]`)
  })
})
