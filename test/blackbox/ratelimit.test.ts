/**
 * Rate limits, on an instance of its own with low limits: per connection 1 EVENT/s with a burst
 * of 5, per IP 1 EVENT/s (the relay allows ten seconds' worth as burst), 1 REQ/s (burst 5).
 */
import { describe, expect, it } from 'vitest'
import { newKey, prefixed, randomHex, signMany, useClients, useInstance, type RawClient } from './helpers'

const BURST = 5
const instance = useInstance({ EVENTS_PER_SECOND: '1', EVENT_BURST: String(BURST), EVENTS_PER_SECOND_PER_IP: '1', REQS_PER_SECOND: '1' })
const connect = useClients(() => instance().url)

/** Publishes `n` events at once from `c`; returns the OK answers in order. */
const burst = (c: RawClient, n: number) => Promise.all(signMany(newKey(), n).map((e) => c.publish(e)))
const limited = (answers: Array<[boolean, string]>) => answers.filter(([ok, msg]) => !ok && prefixed('rate-limited').test(msg))

describe('rate limits', () => {
  // First in the file: the IP's budget is still full, so only the connection's own limit applies.
  it('a burst of EVENTs beyond the connection burst gets rate-limited: OKs', async () => {
    const [c, reader] = [await connect(), await connect()]
    const events = signMany(newKey(), BURST + 4)
    const answers = await Promise.all(events.map((e) => c.publish(e)))
    expect(answers.slice(0, BURST)).toEqual(Array(BURST).fill([true, '']))
    const refused = limited(answers)
    expect(refused.length).toBeGreaterThan(0)
    expect(answers.every(([ok, msg]) => ok || prefixed('rate-limited').test(msg))).toBe(true)
    // Refused events were not stored.
    const refusedIds = events.filter((_, i) => !answers[i][0]).map((e) => e.id)
    expect(await reader.query({ ids: refusedIds })).toEqual([])
  })

  it('fresh connections from the same IP are limited once the IP budget is spent', async () => {
    // Each connection stays within its own burst, so only the per-IP limit can refuse them.
    const answers: Array<[boolean, string]> = []
    for (let i = 0; i < 6; i++) answers.push(...(await burst(await connect(), BURST)))
    expect(limited(answers).length).toBeGreaterThan(0)
  })

  it('a rate-limited connection stays open and can still read', async () => {
    const c = await connect()
    expect(limited(await burst(c, BURST * 3)).length).toBeGreaterThan(0)
    expect(c.isOpen).toBe(true)
    await expect(c.subscribe('read', { ids: [randomHex()] })).resolves.toEqual([])
  })

  it('a burst of REQs gets CLOSED rate-limited: for some of them', async () => {
    const c = await connect()
    const n = 15
    for (let i = 0; i < n; i++) c.send(['REQ', `r${i}`, { ids: [randomHex()] }])
    const outcomes = await Promise.all(Array.from({ length: n }, (_, i) => c.collect(`r${i}`)))
    const closed = outcomes.filter((o) => o.closed !== undefined)
    expect(closed.length).toBeGreaterThan(0)
    for (const o of closed) expect(o.closed).toMatch(prefixed('rate-limited'))
    expect(outcomes.length - closed.length).toBeGreaterThanOrEqual(BURST)
  })
})
