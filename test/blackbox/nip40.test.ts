/** NIP-40 expiration timestamps. */
import { describe, expect, it } from 'vitest'
import { eventually, ids, newKey, now, prefixed, sign, useClients } from './helpers'

const connect = useClients()
const expiring = (at: number) => ({ tags: [['expiration', String(at)]] })

describe('NIP-40 expiration', () => {
  it('refuses an event that has already expired, with invalid:', async () => {
    const c = await connect()
    const e = sign(newKey(), { created_at: now() - 60, ...expiring(now() - 10) })
    const [ok, msg] = await c.publish(e)
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('invalid'))])
    expect(await c.query({ ids: [e.id] })).toEqual([])
  })

  it('serves an event until it expires and not afterwards', async () => {
    const c = await connect()
    const k = newKey()
    const e = sign(k, expiring(now() + 3))
    const lasting = sign(k, expiring(now() + 3600))
    await c.publishAll([e, lasting])
    expect(ids(await c.query({ ids: [e.id, lasting.id] })).sort()).toEqual([e.id, lasting.id].sort())
    expect(await c.count({ authors: [k.pk] })).toEqual({ count: 2 })
    await eventually(async () => (await c.query({ ids: [e.id] })).length === 0, 15_000, 500)
    // Once it is gone it stays gone, and only the expired event is gone.
    expect(now()).toBeGreaterThanOrEqual(Number(e.tags[0][1]))
    expect(ids(await c.query({ authors: [k.pk] }))).toEqual([lasting.id])
    expect(await c.count({ authors: [k.pk] })).toEqual({ count: 1 })
  })
})
