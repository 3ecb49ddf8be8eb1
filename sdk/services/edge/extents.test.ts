import { describe, expect, it } from 'vitest'
import { Extents } from './extents'

const bytes = (s: string) => new TextEncoder().encode(s)
const view = (e: Extents, start: number, length: number, fill = '.') => {
  const out = new Uint8Array(length).fill(fill.charCodeAt(0))
  e.overlay(start, out)
  return new TextDecoder().decode(out)
}

describe('Extents', () => {
  it('merges overlapping and adjacent writes, later bytes winning', () => {
    const e = new Extents()
    e.write(2, bytes('abc'))
    e.write(8, bytes('xy'))
    expect(view(e, 0, 12)).toBe('..abc...xy..')
    expect(e.covers(2, 5)).toBe(true)
    expect(e.covers(2, 9)).toBe(false)
    e.write(5, bytes('DEF'))
    expect(view(e, 0, 12)).toBe('..abcDEFxy..')
    expect(e.covers(2, 10)).toBe(true)
    e.write(0, bytes('0123'))
    expect(view(e, 0, 12)).toBe('0123cDEFxy..')
    expect([e.start(), e.end(), e.size()]).toEqual([0, 10, 10])
  })

  it('grows in place for a sequential writer and hands out covered ranges', () => {
    const e = new Extents()
    for (let i = 0; i < 100; i++) e.write(i * 3, bytes(String(i % 10).repeat(3)))
    expect(e.size()).toBe(300)
    expect(new TextDecoder().decode(e.take(0, 6))).toBe('000111')
    expect(e.covers(0, 1)).toBe(false)
    expect(e.start()).toBe(6)
    expect(new TextDecoder().decode(e.take(9, 12))).toBe('333')
    expect(view(e, 6, 9)).toBe('222...444')
    expect(() => e.take(8, 12)).toThrow(RangeError)
    e.clear()
    expect(e.isEmpty()).toBe(true)
  })
})
