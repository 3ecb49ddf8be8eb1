/** NIP-01 kind classes: replaceable, addressable and ephemeral events. */
import { describe, expect, it } from 'vitest'
import { ids, newKey, now, sign, uniq, useClients, type Event, type Key } from './helpers'

const connect = useClients()
const t0 = now() - 1000

/** Two events of the template with the same created_at, ordered [lower id, higher id]. */
function tiedPair(k: Key, t: Partial<Event>): [Event, Event] {
  const a = sign(k, { ...t, content: 'a' })
  const b = sign(k, { ...t, content: 'b' })
  return a.id < b.id ? [a, b] : [b, a]
}

describe.each([0, 3, 10002, 17777])('replaceable kind %i', (kind) => {
  const latest = async (k: Key) => (await connect()).query({ authors: [k.pk], kinds: [kind] })

  it('a newer version replaces the older one', async () => {
    const c = await connect()
    const k = newKey()
    const [v1, v2] = [sign(k, { kind, created_at: t0 }), sign(k, { kind, created_at: t0 + 10 })]
    await c.publishAll([v1])
    await c.publishAll([v2])
    expect(ids(await latest(k))).toEqual([v2.id])
  })

  it('an older version sent after a newer one is refused', async () => {
    const c = await connect()
    const k = newKey()
    const [v1, v2] = [sign(k, { kind, created_at: t0 }), sign(k, { kind, created_at: t0 + 10 })]
    await c.publishAll([v2])
    const [ok, msg] = await c.publish(v1)
    expect(ok).toBe(false)
    expect(msg).toMatch(/^[a-z-]+: /)
    expect(ids(await latest(k))).toEqual([v2.id])
  })

  it('on equal created_at the lowest id is kept, whichever comes first', async () => {
    const c = await connect()
    const [k1, k2] = [newKey(), newKey()]
    const [low1, high1] = tiedPair(k1, { kind, created_at: t0 })
    await c.publishAll([high1])
    expect(await c.publish(low1)).toEqual([true, ''])
    expect(ids(await latest(k1))).toEqual([low1.id])

    const [low2, high2] = tiedPair(k2, { kind, created_at: t0 })
    await c.publishAll([low2])
    const [ok] = await c.publish(high2)
    expect(ok).toBe(false)
    expect(ids(await latest(k2))).toEqual([low2.id])
  })

  it('versions of different authors do not replace each other', async () => {
    const c = await connect()
    const [a, b] = [newKey(), newKey()]
    const events = [sign(a, { kind, created_at: t0 }), sign(b, { kind, created_at: t0 + 1 })]
    await c.publishAll(events)
    expect(ids(await c.query({ authors: [a.pk, b.pk], kinds: [kind] }))).toEqual([events[1].id, events[0].id])
  })
})

describe('replaced versions', () => {
  // NIP-01: only the latest version is kept; a client re-sending the replaced version must not
  // be told it was accepted, since it is not stored and will never be served again.
  it('re-sending a version that was replaced is refused (OK false)', async () => {
    const c = await connect()
    const k = newKey()
    const [v1, v2] = [sign(k, { kind: 0, created_at: t0 }), sign(k, { kind: 0, created_at: t0 + 10 })]
    await c.publishAll([v1])
    await c.publishAll([v2])
    const [ok, msg] = await c.publish(v1)
    expect([ok, msg]).toEqual([false, expect.stringMatching(/^[a-z-]+: /)])
    expect(ids(await c.query({ authors: [k.pk], kinds: [0] }))).toEqual([v2.id])
  })
})

describe('addressable kinds (30000-39999)', () => {
  const d = (value: string) => [['d', value]]

  it('a newer version replaces the older one with the same d tag; other d tags coexist', async () => {
    const c = await connect()
    const k = newKey()
    const a1 = sign(k, { kind: 30023, created_at: t0, tags: d('a') })
    const a2 = sign(k, { kind: 30023, created_at: t0 + 5, tags: d('a') })
    const b1 = sign(k, { kind: 30023, created_at: t0 + 1, tags: d('b') })
    const other = sign(k, { kind: 30024, created_at: t0 + 2, tags: d('a') })
    await c.publishAll([a1, b1, other])
    await c.publishAll([a2])
    expect(ids(await c.query({ authors: [k.pk], kinds: [30023] }))).toEqual([a2.id, b1.id])
    expect(ids(await c.query({ authors: [k.pk], kinds: [30023], '#d': ['a'] }))).toEqual([a2.id])
    expect(ids(await c.query({ authors: [k.pk], kinds: [30024] }))).toEqual([other.id])
  })

  it('an older version sent after a newer one is refused', async () => {
    const c = await connect()
    const k = newKey()
    const newer = sign(k, { kind: 30000, created_at: t0 + 5, tags: d('x') })
    await c.publishAll([newer])
    const [ok] = await c.publish(sign(k, { kind: 30000, created_at: t0, tags: d('x') }))
    expect(ok).toBe(false)
    expect(ids(await c.query({ authors: [k.pk], kinds: [30000] }))).toEqual([newer.id])
  })

  it('on equal created_at the lowest id is kept', async () => {
    const c = await connect()
    const k = newKey()
    const [low, high] = tiedPair(k, { kind: 39999, created_at: t0, tags: d('same') })
    await c.publishAll([high])
    await c.publishAll([low])
    expect(ids(await c.query({ authors: [k.pk], kinds: [39999] }))).toEqual([low.id])
  })

  it('no d tag and an empty d tag are the same address', async () => {
    const c = await connect()
    const k = newKey()
    const bare = sign(k, { kind: 30001, created_at: t0 })
    const empty = sign(k, { kind: 30001, created_at: t0 + 1, tags: d('') })
    await c.publishAll([bare])
    await c.publishAll([empty])
    expect(ids(await c.query({ authors: [k.pk], kinds: [30001] }))).toEqual([empty.id])
  })
})

describe('ephemeral kinds (20000-29999)', () => {
  it('are acknowledged, delivered live to matching subscribers, and never served later', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const [k, t] = [newKey(), uniq()]
    await sub.subscribe('eph', { kinds: [20001, 29999], '#t': [t] })
    const events = [sign(k, { kind: 20001, tags: [['t', t]] }), sign(k, { kind: 29999, tags: [['t', t]] })]
    for (const e of events) expect(await pub.publish(e)).toEqual([true, ''])
    expect((await sub.nextEvent('eph'))[2].id).toBe(events[0].id)
    expect((await sub.nextEvent('eph'))[2].id).toBe(events[1].id)
    expect(await pub.query({ ids: ids(events) })).toEqual([])
    expect(await pub.query({ authors: [k.pk] })).toEqual([])
    expect(await pub.count({ authors: [k.pk] })).toEqual({ count: 0 })
  })

  it('kind 19999 is replaceable (stored) and kind 30000 addressable, not ephemeral', async () => {
    const c = await connect()
    const k = newKey()
    const events = [sign(k, { kind: 19999 }), sign(k, { kind: 30000, tags: [['d', 'x']] })]
    await c.publishAll(events)
    expect(ids(await c.query({ authors: [k.pk] })).sort()).toEqual(ids(events).sort())
  })
})
