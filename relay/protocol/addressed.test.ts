import { describe, expect, it } from 'vitest'
import { mayReceive } from './addressed'

const alice = 'a'.repeat(64)
const bridge = 'b'.repeat(64)
const event = (kind: number, p: string[]) => ({ kind, tags: p.map((pk) => ['p', pk]) })

describe('mayReceive', () => {
  it('delivers fs-bridge responses and notifications only to the authenticated addressee', () => {
    for (const kind of [25931, 25932]) {
      expect(mayReceive(event(kind, [alice]), [alice])).toBe(true)
      expect(mayReceive(event(kind, [alice]), ['c'.repeat(64), alice])).toBe(true)
      expect(mayReceive(event(kind, [alice]), [])).toBe(false)
      expect(mayReceive(event(kind, [alice]), [bridge])).toBe(false)
    }
  })

  it('delivers requests only to the bridge they name', () => {
    expect(mayReceive(event(25930, [bridge]), [bridge])).toBe(true)
    expect(mayReceive(event(25930, [bridge]), [alice])).toBe(false)
    expect(mayReceive(event(25930, []), [bridge])).toBe(false)
  })

  it('leaves every other kind alone', () => {
    expect(mayReceive(event(1, [alice]), [])).toBe(true)
    expect(mayReceive(event(20001, [alice]), [])).toBe(true)
  })
})
