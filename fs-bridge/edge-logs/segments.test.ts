import { describe, expect, it } from 'vitest'
import { covering, nextSegmentName } from './segments'

describe('log segments', () => {
  it('name segments so that later ones sort after, even within one millisecond or with the clock going back', () => {
    const names = [nextSegmentName(1000), nextSegmentName(1000), nextSegmentName(999), nextSegmentName(2000), nextSegmentName(2000)]
    expect([...names].sort()).toEqual(names)
    expect(new Set(names).size).toBe(names.length)
  })

  it('find the pieces of a byte range across segments', () => {
    const segments = [
      { key: 'a', offset: 0, size: 4 },
      { key: 'b', offset: 4, size: 0 },
      { key: 'c', offset: 4, size: 6 },
      { key: 'd', offset: 10, size: 5 },
    ]
    expect(covering(segments, 2, 10)).toEqual([
      { key: 'a', offset: 2, length: 2, at: 0 },
      { key: 'c', offset: 0, length: 6, at: 2 },
      { key: 'd', offset: 0, length: 2, at: 8 },
    ])
    expect(covering(segments, 15, 3)).toEqual([])
    expect(covering(segments, 5, 1)).toEqual([{ key: 'c', offset: 1, length: 1, at: 0 }])
  })
})
