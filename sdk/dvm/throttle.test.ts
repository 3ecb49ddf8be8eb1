import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { PartialThrottle } from './throttle'

describe('PartialThrottle', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('sends the first text at once, then the newest at most once per interval', async () => {
    const sent: string[] = []
    const t = new PartialThrottle(500, async (text) => void sent.push(text), () => Date.now())
    await t.push('a')
    await t.push('ab')
    await t.push('abc')
    expect(sent).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(499)
    expect(sent).toEqual(['a'])
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toEqual(['a', 'abc'])
    await vi.advanceTimersByTimeAsync(2000)
    expect(sent).toEqual(['a', 'abc'])
    await t.push('abcd')
    expect(sent).toEqual(['a', 'abc', 'abcd'])
  })

  it('drops what waits when closed, and sends nothing after', async () => {
    const sent: string[] = []
    const t = new PartialThrottle(500, async (text) => void sent.push(text), () => Date.now())
    await t.push('a')
    await t.push('ab')
    t.close()
    await t.push('abc')
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toEqual(['a'])
  })

  it('sends every text with an interval of 0', async () => {
    const sent: string[] = []
    const t = new PartialThrottle(0, async (text) => void sent.push(text), () => Date.now())
    for (const s of ['a', 'b', 'c']) await t.push(s)
    expect(sent).toEqual(['a', 'b', 'c'])
  })
})
