/** NIP-09 deletion requests (kind 5) by event id (`e`) and by address (`a`). */
import { describe, expect, it } from 'vitest'
import { ids, newKey, now, sign, useClients, type Event, type Key } from './helpers'

const connect = useClients()
const t0 = now() - 1000

const deletion = (k: Key, tags: string[][], created_at = now()) => sign(k, { kind: 5, tags, created_at, content: 'oops' })

describe('deletion by event id (e tag)', () => {
  it("deletes the author's event; the deletion request itself is stored and served", async () => {
    const c = await connect()
    const k = newKey()
    const [keep, gone] = [sign(k, { content: 'keep' }), sign(k, { content: 'gone' })]
    await c.publishAll([keep, gone])
    const del = deletion(k, [['e', gone.id], ['k', '1']])
    expect(await c.publish(del)).toEqual([true, ''])
    expect(await c.query({ ids: [gone.id] })).toEqual([])
    expect(ids(await c.query({ authors: [k.pk] })).sort()).toEqual([keep.id, del.id].sort())
    expect(ids(await c.query({ kinds: [5], authors: [k.pk] }))).toEqual([del.id])
  })

  it('deletes several events named in one request', async () => {
    const c = await connect()
    const k = newKey()
    const events = [sign(k), sign(k, { kind: 7 }), sign(k, { kind: 1111 })]
    await c.publishAll(events)
    await c.publishAll([deletion(k, events.map((e) => ['e', e.id]))])
    expect(await c.query({ ids: ids(events) })).toEqual([])
  })

  it('a deleted event sent again is refused (OK false) and stays deleted', async () => {
    const [c, other] = [await connect(), await connect()]
    const k = newKey()
    const e = sign(k)
    await c.publishAll([e])
    await c.publishAll([deletion(k, [['e', e.id]])])
    const [ok, msg] = await other.publish(e)
    expect([ok, msg]).toEqual([false, expect.stringMatching(/^[a-z-]+: /)])
    expect(await other.query({ ids: [e.id] })).toEqual([])
  })

  it('an event whose deletion request arrived first is not served', async () => {
    const c = await connect()
    const k = newKey()
    const e = sign(k, { created_at: t0 })
    await c.publishAll([deletion(k, [['e', e.id]])])
    await c.publish(e)
    expect(await c.query({ ids: [e.id] })).toEqual([])
  })

  it('a deletion request by another pubkey deletes nothing', async () => {
    const c = await connect()
    const [author, stranger] = [newKey(), newKey()]
    const e = sign(author)
    await c.publishAll([e])
    const del = deletion(stranger, [['e', e.id]])
    expect(await c.publish(del)).toEqual([true, ''])
    expect(ids(await c.query({ ids: [e.id] }))).toEqual([e.id])
  })

  it('deleting a deletion request has no effect', async () => {
    const c = await connect()
    const k = newKey()
    const e = sign(k)
    await c.publishAll([e])
    const del1 = deletion(k, [['e', e.id]])
    await c.publishAll([del1])
    const del2 = deletion(k, [['e', del1.id], ['k', '5']])
    expect(await c.publish(del2)).toEqual([true, ''])
    expect(ids(await c.query({ ids: [del1.id, del2.id] })).sort()).toEqual([del1.id, del2.id].sort())
    expect(await c.query({ ids: [e.id] })).toEqual([])
  })
})

describe('deletion by address (a tag)', () => {
  const version = (k: Key, created_at: number, d = 'post') => sign(k, { kind: 30023, created_at, tags: [['d', d]] })
  const address = (k: Key, d = 'post') => `30023:${k.pk}:${d}`
  const stored = async (k: Key) => ids(await (await connect()).query({ authors: [k.pk], kinds: [30023] }))

  it('deletes versions up to its created_at and refuses older versions afterwards', async () => {
    const c = await connect()
    const k = newKey()
    const v1 = version(k, t0)
    const other = version(k, t0, 'other')
    await c.publishAll([v1, other])
    const del = deletion(k, [['a', address(k)], ['k', '30023']], t0 + 100)
    expect(await c.publish(del)).toEqual([true, ''])
    expect(await stored(k)).toEqual([other.id])
    for (const older of [version(k, t0 + 50), version(k, t0 + 100)]) {
      const [ok, msg] = await c.publish(older)
      expect([ok, msg]).toEqual([false, expect.stringMatching(/^[a-z-]+: /)])
    }
    expect(await stored(k)).toEqual([other.id])
    expect(ids(await c.query({ ids: [del.id] }))).toEqual([del.id])
  })

  it('a deleted version sent again is refused (OK false)', async () => {
    const c = await connect()
    const k = newKey()
    const v1 = version(k, t0)
    await c.publishAll([v1])
    await c.publishAll([deletion(k, [['a', address(k)]], t0 + 100)])
    const [ok, msg] = await c.publish(v1)
    expect([ok, msg]).toEqual([false, expect.stringMatching(/^[a-z-]+: /)])
    expect(await stored(k)).toEqual([])
  })

  it('a version newer than the deletion request is accepted and served', async () => {
    const c = await connect()
    const k = newKey()
    await c.publishAll([version(k, t0)])
    await c.publishAll([deletion(k, [['a', address(k)]], t0 + 100)])
    const v2 = version(k, t0 + 101)
    expect(await c.publish(v2)).toEqual([true, ''])
    expect(await stored(k)).toEqual([v2.id])
  })

  it('leaves a version newer than the deletion request in place', async () => {
    const c = await connect()
    const k = newKey()
    const current = version(k, t0 + 50)
    await c.publishAll([current])
    expect(await c.publish(deletion(k, [['a', address(k)]], t0 + 10))).toEqual([true, ''])
    expect(await stored(k)).toEqual([current.id])
  })

  it('works for replaceable kinds with the empty d part', async () => {
    const c = await connect()
    const k = newKey()
    const meta: Event = sign(k, { kind: 10000, created_at: t0 })
    await c.publishAll([meta])
    await c.publishAll([deletion(k, [['a', `10000:${k.pk}:`]], t0 + 10)])
    expect(await c.query({ authors: [k.pk], kinds: [10000] })).toEqual([])
  })

  it("an a tag naming another pubkey's address deletes nothing", async () => {
    const c = await connect()
    const [author, stranger] = [newKey(), newKey()]
    const v1 = version(author, t0)
    await c.publishAll([v1])
    await c.publishAll([deletion(stranger, [['a', address(author)]], t0 + 100)])
    expect(await stored(author)).toEqual([v1.id])
  })
})
