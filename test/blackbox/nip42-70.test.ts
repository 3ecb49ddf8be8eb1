/** NIP-42 authentication on a relay that does not require it, and NIP-70 protected events. */
import { describe, expect, it } from 'vitest'
import type { EventTemplate } from 'nostr-tools/pure'
import { authEvent, ids, newKey, now, prefixed, sign, uniq, useClients } from './helpers'

const connect = useClients()

describe('NIP-42 challenge and AUTH', () => {
  it('sends ["AUTH", challenge] on connect, a different challenge per connection', async () => {
    const [a, b] = [await connect(), await connect()]
    expect(a.frames[0]).toEqual(['AUTH', expect.any(String)])
    expect(a.challenge.length).toBeGreaterThanOrEqual(8)
    expect(b.challenge).not.toBe(a.challenge)
  })

  it("accepts a valid kind 22242 event with OK true ''", async () => {
    const c = await connect()
    expect(await c.auth(authEvent(newKey(), c))).toEqual([true, ''])
  })

  it('accepts a relay tag that differs only by a trailing slash', async () => {
    const c = await connect()
    const ev = authEvent(newKey(), c, (t) => ({ ...t, tags: [['relay', c.url + '/'], ['challenge', c.challenge]] }))
    expect(await c.auth(ev)).toEqual([true, ''])
  })

  const setTag = (name: string, value: string) => (t: EventTemplate) => ({
    ...t,
    tags: t.tags.map((tag) => (tag[0] === name ? [name, value] : tag)),
  })
  const refusals: Array<[string, (t: EventTemplate) => EventTemplate]> = [
    ['a wrong challenge', setTag('challenge', 'not-the-challenge')],
    ['a relay tag naming another relay', setTag('relay', 'wss://relay.example.com')],
    ['no challenge tag', (t) => ({ ...t, tags: t.tags.filter((tag) => tag[0] !== 'challenge') })],
    ['no relay tag', (t) => ({ ...t, tags: t.tags.filter((tag) => tag[0] !== 'relay') })],
    ['a stale created_at (one hour ago)', (t) => ({ ...t, created_at: now() - 3600 })],
    ['a created_at one hour ahead', (t) => ({ ...t, created_at: now() + 3600 })],
    ['another kind', (t) => ({ ...t, kind: 1 })],
  ]
  it.each(refusals)('refuses %s with OK false, and stays unauthenticated', async (_name, edit) => {
    const c = await connect()
    const k = newKey()
    const [ok, msg] = await c.auth(authEvent(k, c, edit))
    expect([ok, msg]).toEqual([false, expect.stringMatching(/^[a-z-]+: /)])
    // Proof that no session was opened: a protected event of that key still needs AUTH.
    expect((await c.publish(sign(k, { tags: [['-']] })))[1]).toMatch(prefixed('auth-required'))
  })

  it('refuses a bad signature with OK false', async () => {
    const c = await connect()
    const ev = authEvent(newKey(), c)
    const [ok] = await c.auth({ ...ev, sig: ev.sig.replace(/^./, (ch) => (ch === '0' ? '1' : '0')) })
    expect(ok).toBe(false)
  })

  it("refuses another connection's challenge", async () => {
    const [a, b] = [await connect(), await connect()]
    const ev = authEvent(newKey(), b)
    const [ok] = await a.auth(ev)
    expect(ok).toBe(false)
  })

  it('never stores or broadcasts kind 22242 events sent as EVENT', async () => {
    const [c, sub] = [await connect(), await connect()]
    const k = newKey()
    await sub.subscribe('auth', { authors: [k.pk] })
    const ev = authEvent(k, c)
    const [ok, msg] = await c.publish(ev)
    expect(ok).toBe(false)
    expect(msg).toMatch(/^[a-z-]+: /)
    const marker = sign(k)
    await c.publishAll([marker])
    expect(await sub.idsBefore('auth', marker.id)).toEqual([])
    expect(await c.query({ ids: [ev.id] })).toEqual([])
  })
})

describe('NIP-70 protected events', () => {
  const protectedEvent = (k = newKey()) => ({ k, e: sign(k, { tags: [['-'], ['t', uniq()]] }) })

  it('without AUTH: OK false auth-required:', async () => {
    const c = await connect()
    const { e } = protectedEvent()
    const [ok, msg] = await c.publish(e)
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('auth-required'))])
    expect(await c.query({ ids: [e.id] })).toEqual([])
  })

  it('authenticated as a different pubkey: OK false restricted:', async () => {
    const c = await connect()
    const { e } = protectedEvent()
    expect(await c.auth(authEvent(newKey(), c))).toEqual([true, ''])
    const [ok, msg] = await c.publish(e)
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('restricted'))])
    expect(await c.query({ ids: [e.id] })).toEqual([])
  })

  it('authenticated as the author: accepted, stored and served to anyone', async () => {
    const [c, reader] = [await connect(), await connect()]
    const { k, e } = protectedEvent()
    expect(await c.auth(authEvent(k, c))).toEqual([true, ''])
    expect(await c.publish(e)).toEqual([true, ''])
    expect(ids(await reader.query({ ids: [e.id] }))).toEqual([e.id])
  })

  it('any of several authenticated pubkeys may publish its own protected events', async () => {
    const c = await connect()
    const [a, b] = [protectedEvent(), protectedEvent()]
    await c.auth(authEvent(a.k, c))
    await c.auth(authEvent(b.k, c))
    expect(await c.publish(a.e)).toEqual([true, ''])
    expect(await c.publish(b.e)).toEqual([true, ''])
  })

  it("authentication is per connection: the author's AUTH elsewhere does not count", async () => {
    const [authed, other] = [await connect(), await connect()]
    const { k, e } = protectedEvent()
    expect(await authed.auth(authEvent(k, authed))).toEqual([true, ''])
    expect((await other.publish(e))[1]).toMatch(prefixed('auth-required'))
  })
})
