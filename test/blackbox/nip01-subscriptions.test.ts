/**
 * NIP-01 subscriptions over time: EOSE, live delivery to matching subscriptions only, replacing
 * and closing, and events published while the stored ones are being read.
 */
import { describe, expect, it } from 'vitest'
import { ids, newKey, now, plain, randomHex, sign, signMany, uniq, useClients, type Event } from './helpers'

const connect = useClients()

describe('EOSE and live events', () => {
  it('sends EOSE after the stored events, also when there are none', async () => {
    const c = await connect()
    const k = newKey()
    await c.publishAll(signMany(k, 2))
    c.send(['REQ', 'some', { authors: [k.pk] }])
    c.send(['REQ', 'none', { authors: [randomHex()] }])
    expect((await c.collect('some')).events).toHaveLength(2)
    expect(await c.collect('none')).toEqual({ events: [] })
  })

  it('limit 0 sends no stored events, only EOSE, then live events', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const k = newKey()
    await pub.publishAll(signMany(k, 3))
    expect(await sub.subscribe('zero', { authors: [k.pk], limit: 0 })).toEqual([])
    const live = sign(k)
    await pub.publishAll([live])
    expect((await sub.nextEvent('zero'))[2].id).toBe(live.id)
  })

  it('delivers a live event to every matching subscription, with its subscription id', async () => {
    const [a, b, pub] = [await connect(), await connect(), await connect()]
    const t = uniq()
    await a.subscribe('sa', { '#t': [t] })
    await b.subscribe('sb', { kinds: [1], '#t': [t] })
    const e = sign(newKey(), { tags: [['t', t]] })
    await pub.publishAll([e])
    expect(await a.nextEvent('sa')).toEqual(['EVENT', 'sa', plain(e)])
    expect((await b.nextEvent('sb'))[2].id).toBe(e.id)
  })

  it('does not deliver live events that fail any condition of the filter', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const [t, k] = [uniq(), newKey()]
    await sub.subscribe('s', { kinds: [1], authors: [k.pk], '#t': [t], since: 1000 })
    const misses: Event[] = [
      sign(k, { tags: [['t', uniq()]] }), // other tag value
      sign(k, { tags: [['e', randomHex()]] }), // no t tag at all
      sign(k, { tags: [['T', t]] }), // uppercase letter
      sign(k, { tags: [['t', uniq(), t]] }), // value only in second position
      sign(k, { kind: 2, tags: [['t', t]] }), // other kind
      sign(newKey(), { tags: [['t', t]] }), // other author
    ]
    for (const e of misses) await pub.publishAll([e])
    const marker = sign(k, { tags: [['t', t]] })
    await pub.publishAll([marker])
    expect(await sub.idsBefore('s', marker.id)).toEqual([])
  })

  it('applies since and until to live events too', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const k = newKey()
    await sub.subscribe('past', { authors: [k.pk], until: now() - 100 })
    await sub.subscribe('future', { authors: [k.pk], since: now() + 100 })
    await sub.subscribe('all', { authors: [k.pk] })
    const e = sign(k)
    await pub.publishAll([e])
    await sub.nextEvent('all', e.id)
    expect(sub.frames.filter((f) => f[0] === 'EVENT' && f[1] !== 'all')).toEqual([])
  })

  it('echoes subscription ids with quotes, backslashes and non-ASCII exactly', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const k = newKey()
    const subId = 'a"b\\c/ü😀\n'
    await sub.subscribe(subId, { authors: [k.pk] })
    const e = sign(k)
    await pub.publishAll([e])
    expect((await sub.nextEvent(subId))[2].id).toBe(e.id)
  })

  it('does not send live events to connections without a matching subscription', async () => {
    const [idle, other, pub] = [await connect(), await connect(), await connect()]
    const t = uniq()
    await other.subscribe('s', { '#t': [t] })
    await idle.subscribe('elsewhere', { '#t': [uniq()] })
    await pub.publishAll([sign(newKey(), { tags: [['t', t]] })])
    await other.nextEvent('s')
    const marker = sign(newKey())
    await idle.subscribe('marker', { ids: [marker.id] })
    await pub.publishAll([marker])
    await idle.nextEvent('marker', marker.id)
    expect(idle.frames.filter((f) => f[0] === 'EVENT' && f[1] !== 'marker')).toEqual([])
  })
})

describe('subscription lifecycle', () => {
  it('a REQ with an existing subscription id replaces the old subscription', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const [oldT, newT] = [uniq(), uniq()]
    await sub.subscribe('s', { '#t': [oldT] })
    await sub.subscribe('s', { '#t': [newT] })
    const stale = sign(newKey(), { tags: [['t', oldT]] })
    const fresh = sign(newKey(), { tags: [['t', newT]] })
    await pub.publishAll([stale])
    await pub.publishAll([fresh])
    expect(await sub.idsBefore('s', fresh.id)).toEqual([])
  })

  it('CLOSE stops delivery to that subscription only', async () => {
    const [sub, pub] = [await connect(), await connect()]
    const t = uniq()
    await sub.subscribe('closed', { '#t': [t] })
    await sub.subscribe('open', { '#t': [t] })
    sub.send(['CLOSE', 'closed'])
    const marker = sign(newKey(), { tags: [['t', uniq()]] })
    await sub.subscribe('marker', { ids: [marker.id] }) // a round trip: the CLOSE has been read
    const e = sign(newKey(), { tags: [['t', t]] })
    await pub.publishAll([e])
    await sub.nextEvent('open', e.id)
    await pub.publishAll([marker])
    await sub.nextEvent('marker', marker.id)
    expect(sub.frames.filter((f) => f[0] === 'EVENT' && f[1] === 'closed')).toEqual([])
  })

  it('subscription ids are per connection', async () => {
    const [one, two, pub] = [await connect(), await connect(), await connect()]
    const [t1, t2] = [uniq(), uniq()]
    await one.subscribe('same', { '#t': [t1] })
    await two.subscribe('same', { '#t': [t2] })
    const e1 = sign(newKey(), { tags: [['t', t1]] })
    const e2 = sign(newKey(), { tags: [['t', t2]] })
    await pub.publishAll([e1])
    await pub.publishAll([e2])
    expect((await one.nextEvent('same'))[2].id).toBe(e1.id)
    expect(await two.idsBefore('same', e2.id)).toEqual([])
    two.send(['CLOSE', 'same'])
    const e3 = sign(newKey(), { tags: [['t', t1]] })
    await pub.publishAll([e3])
    expect((await one.nextEvent('same'))[2].id).toBe(e3.id)
  })
})

describe('events published while a REQ reads stored events', () => {
  it('reach every subscription exactly once, before or after EOSE', async () => {
    const k = newKey()
    const pubs = await Promise.all(Array.from({ length: 4 }, () => connect()))
    const subs = await Promise.all(Array.from({ length: 8 }, () => connect()))
    await pubs[0].publishAll(signMany(k, 20))
    // Four publishers keep small batches of writes in flight; the subscriptions start one by one
    // while they do, so their stored-event queries overlap writes that land before, during and
    // after them.
    const flood = signMany(k, 320)
    let acked = 0
    let started = 0
    const pump = async (pub: (typeof pubs)[number], events: Event[]) => {
      for (let i = 0; i < events.length; i += 4) {
        const answers = await Promise.all(events.slice(i, i + 4).map((e) => pub.publish(e)))
        expect(answers.every(([ok]) => ok)).toBe(true)
        acked += answers.length
        while (started < subs.length && acked >= started * 36) subs[started++].send(['REQ', 'flood', { authors: [k.pk] }])
      }
    }
    await Promise.all(pubs.map((p, i) => pump(p, flood.slice(i * 80, (i + 1) * 80))))
    expect(started).toBe(subs.length)
    // After every EOSE the marker can only arrive live, behind everything published before it.
    await Promise.all(subs.map((s) => s.next((f) => f[0] === 'EOSE' && f[1] === 'flood', 20_000)))
    const marker = sign(k)
    await pubs[0].publishAll([marker])
    for (const s of subs) {
      const seen = await s.idsBefore('flood', marker.id, 20_000)
      const counts = new Map<string, number>()
      for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1)
      expect([...counts.entries()].filter(([, n]) => n > 1), 'events delivered twice').toEqual([])
      expect(ids(flood).filter((id) => !counts.has(id)), 'events lost').toEqual([])
      expect(s.frames.filter((f) => f[0] === 'EOSE' && f[1] === 'flood')).toHaveLength(1)
    }
  })
})
