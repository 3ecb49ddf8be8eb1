import { describe, expect, it } from 'vitest'
import { takers } from './handlers'

const bridge = { pubkey: 'b'.repeat(64), kinds: [25930] }
const other = { pubkey: 'c'.repeat(64), kinds: [25930, 1] }

describe('takers', () => {
  it('gives an event to the handlers registered for its kind that it p-tags', () => {
    expect(takers([bridge, other], { kind: 25930, tags: [['p', bridge.pubkey]] })).toEqual([bridge])
    expect(takers([bridge, other], { kind: 25930, tags: [['p', bridge.pubkey], ['p', other.pubkey]] })).toEqual([bridge, other])
    expect(takers([bridge, other], { kind: 1, tags: [['p', other.pubkey]] })).toEqual([other])
  })
  it('gives nothing for another kind or another addressee', () => {
    expect(takers([bridge], { kind: 25931, tags: [['p', bridge.pubkey]] })).toEqual([])
    expect(takers([bridge], { kind: 25930, tags: [['p', other.pubkey]] })).toEqual([])
    expect(takers([bridge], { kind: 25930, tags: [['e', bridge.pubkey]] })).toEqual([])
  })
})
