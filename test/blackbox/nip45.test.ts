/** NIP-45 COUNT. */
import { describe, expect, it } from 'vitest'
import { newKey, randomHex, sign, signMany, uniq, useClients } from './helpers'

const connect = useClients()

describe('NIP-45 COUNT', () => {
  it('answers ["COUNT", id, {count: n}] with the number of matching events', async () => {
    const c = await connect()
    const k = newKey()
    await c.publishAll([...signMany(k, 4), ...signMany(k, 2, { kind: 7 }), ...signMany(newKey(), 3)])
    c.send(['COUNT', 'cnt', { authors: [k.pk], kinds: [1] }])
    expect(await c.next((f) => f[1] === 'cnt')).toEqual(['COUNT', 'cnt', { count: 4 }])
    expect(await c.count({ authors: [k.pk] })).toEqual({ count: 6 })
  })

  it('counts an event matching several filters once', async () => {
    const c = await connect()
    const [k, t] = [newKey(), uniq()]
    const events = signMany(k, 5, { tags: [['t', t]] })
    await c.publishAll(events)
    const got = await c.count({ authors: [k.pk] }, { ids: [events[0].id, events[1].id] }, { '#t': [t] }, { kinds: [1], authors: [k.pk] })
    expect(got).toEqual({ count: 5 })
  })

  it('adds up disjoint filters', async () => {
    const c = await connect()
    const [a, b] = [newKey(), newKey()]
    await c.publishAll([...signMany(a, 2), ...signMany(b, 3)])
    expect(await c.count({ authors: [a.pk] }, { authors: [b.pk] })).toEqual({ count: 5 })
  })

  it('counts with 300 authors in one filter', async () => {
    const c = await connect()
    const [a, b] = [newKey(), newKey()]
    await c.publishAll([...signMany(a, 2), ...signMany(b, 1)])
    const authors = [...Array.from({ length: 298 }, randomHex), a.pk, b.pk]
    expect(await c.count({ authors })).toEqual({ count: 3 })
  })

  it('counts zero when nothing matches', async () => {
    const c = await connect()
    expect(await c.count({ authors: [randomHex()] })).toEqual({ count: 0 })
  })

  it('counts by tag and time range', async () => {
    const c = await connect()
    const [k, t] = [newKey(), uniq()]
    const base = Math.floor(Date.now() / 1000) - 500
    await c.publishAll([0, 1, 2, 3].map((i) => sign(k, { created_at: base + i, tags: [['t', t]] })))
    expect(await c.count({ '#t': [t], since: base + 1, until: base + 2 })).toEqual({ count: 2 })
  })

  it('counts only the latest version of a replaceable event', async () => {
    const c = await connect()
    const k = newKey()
    const base = Math.floor(Date.now() / 1000) - 500
    await c.publishAll([sign(k, { kind: 0, created_at: base })])
    await c.publishAll([sign(k, { kind: 0, created_at: base + 1 })])
    expect(await c.count({ authors: [k.pk], kinds: [0] })).toEqual({ count: 1 })
  })

  it('refuses an invalid filter with CLOSED', async () => {
    const c = await connect()
    expect((await c.count({ authors: ['nope'] })).closed).toMatch(/^(invalid|unsupported): /)
  })

  it('does not open a subscription', async () => {
    const [c, pub] = [await connect(), await connect()]
    const k = newKey()
    c.send(['COUNT', 'not-a-sub', { authors: [k.pk] }])
    await c.next((f) => f[0] === 'COUNT' && f[1] === 'not-a-sub')
    const marker = sign(k)
    await pub.publishAll([sign(k)])
    await c.subscribe('marker', { ids: [marker.id] })
    await pub.publishAll([marker])
    await c.nextEvent('marker', marker.id)
    expect(c.frames.filter((f) => f[0] === 'EVENT' && f[1] === 'not-a-sub')).toEqual([])
  })
})
