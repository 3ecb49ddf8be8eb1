import { describe, expect, it } from 'vitest'
import { BucketMap, TokenBucket } from './token-bucket'

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const b = new TokenBucket(2, 3, 0)
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false])
    expect(b.take(499)).toBe(false)
    expect(b.take(500)).toBe(true)
  })
})

describe('BucketMap', () => {
  it('keeps one bucket per key', () => {
    const m = new BucketMap(1, 1)
    expect(m.take('a', 0)).toBe(true)
    expect(m.take('a', 0)).toBe(false)
    expect(m.take('b', 0)).toBe(true)
  })
})
