/** Per-connection limits of the shared instance: subscriptions and message size. */
import { describe, expect, it } from 'vitest'
import { ids, newKey, randomHex, sign, useClients } from './helpers'
import { MAIN_LIMITS } from './platform'

const connect = useClients()

describe('max_subscriptions', () => {
  it('refuses a subscription beyond max_subscriptions with CLOSED; re-using an id is no new one, CLOSE frees a slot', async () => {
    const c = await connect()
    const filter = { ids: [randomHex()] }
    for (let i = 0; i < MAIN_LIMITS.MAX_SUBSCRIPTIONS; i++) await c.subscribe(`s${i}`, filter)
    expect(await c.refusedReq('one-too-many', filter)).toMatch(/^[a-z-]+: /)
    // Re-using a subscription id replaces it and is not a new subscription.
    await expect(c.subscribe('s0', filter)).resolves.toEqual([])
    // Closing one makes room for exactly one.
    c.send(['CLOSE', 's1'])
    await expect(c.subscribe('new', filter)).resolves.toEqual([])
    expect(await c.refusedReq('again-too-many', filter)).toMatch(/^[a-z-]+: /)
  })

  it('counts subscriptions per connection, not per relay', async () => {
    const [a, b] = [await connect(), await connect()]
    const filter = { ids: [randomHex()] }
    for (let i = 0; i < MAIN_LIMITS.MAX_SUBSCRIPTIONS; i++) await a.subscribe(`s${i}`, filter)
    await expect(b.subscribe('s0', filter)).resolves.toEqual([])
  })

  it('the refused subscription receives no events; the others keep working', async () => {
    const [c, pub] = [await connect(), await connect()]
    const k = newKey()
    for (let i = 0; i < MAIN_LIMITS.MAX_SUBSCRIPTIONS; i++) await c.subscribe(`s${i}`, { authors: [k.pk] })
    await c.refusedReq('extra', { authors: [k.pk] })
    const e = sign(k)
    await pub.publishAll([e])
    for (let i = 0; i < MAIN_LIMITS.MAX_SUBSCRIPTIONS; i++) expect((await c.nextEvent(`s${i}`))[2].id).toBe(e.id)
    expect(c.frames.filter((f) => f[0] === 'EVENT' && f[1] === 'extra')).toEqual([])
  })
})

describe('max_message_length', () => {
  const oversized = () => {
    // Valid JSON, a well-formed EVENT but for its size: larger than the limit, far below 1 MB.
    const e = sign(newKey(), { content: 'x'.repeat(MAIN_LIMITS.MAX_MESSAGE_LENGTH + 1000) })
    return { e, frame: JSON.stringify(['EVENT', e]) }
  }

  it('answers a frame over max_message_length with NOTICE and stays usable', async () => {
    const c = await connect()
    const { e, frame } = oversized()
    expect(frame.length).toBeGreaterThan(MAIN_LIMITS.MAX_MESSAGE_LENGTH)
    expect(frame.length).toBeLessThan(1_000_000)
    c.sendText(frame)
    expect(await c.next((f) => f[0] === 'NOTICE')).toEqual(['NOTICE', expect.any(String)])
    expect(c.frames.filter((f) => f[0] === 'OK' && f[1] === e.id)).toEqual([])
    expect(c.isOpen).toBe(true)
    const ok = sign(newKey())
    expect(await c.publish(ok)).toEqual([true, ''])
    expect(ids(await c.query({ ids: [ok.id, e.id] }))).toEqual([ok.id])
  })

  it('counts the limit in bytes: multi-byte text over the limit in UTF-8 is refused', async () => {
    const c = await connect()
    // Under the limit in characters, over it in UTF-8 bytes (3 bytes per character).
    const text = JSON.stringify(['REQ', 'big', { '#t': ['€'.repeat(Math.ceil(MAIN_LIMITS.MAX_MESSAGE_LENGTH / 2))] }])
    expect(text.length).toBeLessThan(MAIN_LIMITS.MAX_MESSAGE_LENGTH)
    expect(Buffer.byteLength(text)).toBeGreaterThan(MAIN_LIMITS.MAX_MESSAGE_LENGTH)
    c.sendText(text)
    expect((await c.next((f) => f[0] === 'NOTICE' || f[1] === 'big'))[0]).toBe('NOTICE')
    await expect(c.subscribe('after', { ids: [randomHex()] })).resolves.toEqual([])
  })

  it('does not disturb other connections', async () => {
    const [c, other] = [await connect(), await connect()]
    for (let i = 0; i < 5; i++) c.sendText(oversized().frame)
    await expect(other.subscribe('fine', { ids: [randomHex()] })).resolves.toEqual([])
    for (let i = 0; i < 5; i++) await c.next((f) => f[0] === 'NOTICE')
    expect(c.isOpen && other.isOpen).toBe(true)
  })
})
