import { describe, expect, it } from 'vitest'
import { AsyncQueue } from './queue'

describe('AsyncQueue', () => {
  it('yields items pushed before and while reading, then ends', async () => {
    const q = new AsyncQueue<number>()
    q.push(1)
    const read = (async () => {
      const got: number[] = []
      for await (const n of q) got.push(n)
      return got
    })()
    await Promise.resolve()
    q.push(2)
    q.end()
    q.push(3)
    expect(await read).toEqual([1, 2])
  })
})
