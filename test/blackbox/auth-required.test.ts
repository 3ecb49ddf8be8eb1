/** NIP-42 on an instance started with AUTH_REQUIRED=true. */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { finalizeEvent, type EventTemplate } from 'nostr-tools/pure'
import { MAIN_VARS } from './platform'
import { authEvent, fetchInfo, ids, newKey, prefixed, sign, useClients, useInstance } from './helpers'

useWebSocketImplementation(WebSocket)
const instance = useInstance({ ...MAIN_VARS, AUTH_REQUIRED: 'true' })
const connect = useClients(() => instance().url)

describe('AUTH_REQUIRED=true', () => {
  it('advertises auth_required in NIP-11', async () => {
    expect((await fetchInfo(instance().httpUrl)).limitation.auth_required).toBe(true)
  })

  it('before AUTH: EVENT gets OK false auth-required:, REQ and COUNT get CLOSED auth-required:', async () => {
    const c = await connect()
    const e = sign(newKey())
    const [ok, msg] = await c.publish(e)
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('auth-required'))])
    expect(await c.refusedReq('s', { kinds: [1] })).toMatch(prefixed('auth-required'))
    expect((await c.count({ kinds: [1] })).closed).toMatch(prefixed('auth-required'))
  })

  it('after a failed AUTH everything is still refused', async () => {
    const c = await connect()
    const k = newKey()
    const [ok] = await c.auth(authEvent(k, c, (t) => ({ ...t, tags: [['relay', c.url], ['challenge', 'wrong']] })))
    expect(ok).toBe(false)
    expect((await c.publish(sign(k)))[1]).toMatch(prefixed('auth-required'))
    expect(await c.refusedReq('s', { kinds: [1] })).toMatch(prefixed('auth-required'))
  })

  it('after AUTH: the refused EVENT is accepted, and REQ and COUNT are served', async () => {
    const c = await connect()
    const k = newKey()
    const e = sign(k)
    expect((await c.publish(e))[0]).toBe(false)
    expect(await c.refusedReq('s', { authors: [k.pk] })).toMatch(prefixed('auth-required'))
    expect(await c.auth(authEvent(k, c))).toEqual([true, ''])
    expect(await c.publish(e)).toEqual([true, ''])
    expect(ids(await c.subscribe('s', { authors: [k.pk] }))).toEqual([e.id])
    expect(await c.count({ authors: [k.pk] })).toEqual({ count: 1 })
  })

  it('an authenticated client may publish events of other authors', async () => {
    const c = await connect()
    await c.auth(authEvent(newKey(), c))
    expect(await c.publish(sign(newKey()))).toEqual([true, ''])
  })

  it('live events reach only authenticated subscribers that asked for them', async () => {
    const [sub, pub, anon] = [await connect(), await connect(), await connect()]
    const k = newKey()
    for (const c of [sub, pub]) expect(await c.auth(authEvent(newKey(), c))).toEqual([true, ''])
    await sub.subscribe('live', { authors: [k.pk] })
    expect(await anon.refusedReq('live', { authors: [k.pk] })).toMatch(prefixed('auth-required'))
    const e = sign(k)
    await pub.publishAll([e])
    expect((await sub.nextEvent('live'))[2].id).toBe(e.id)
    expect(anon.frames.filter((f) => f[0] === 'EVENT')).toEqual([])
  })

  it('nostr-tools authenticates with relay.auth() and then publishes', async () => {
    const relay = await Relay.connect(instance().url, { enablePing: false })
    try {
      const k = newKey()
      const e = sign(k)
      await expect(relay.publish(e)).rejects.toThrow(/^auth-required: /)
      // The relay's challenge came before the OK, so nostr-tools holds it by now.
      await expect(relay.auth(async (t: EventTemplate) => finalizeEvent(t, k.sk))).resolves.toBe('')
      await expect(relay.publish(e)).resolves.toBe('')
      expect(await relay.count([{ authors: [k.pk] }], {})).toBe(1)
    } finally {
      relay.close()
    }
  })
})
