/** NIP-01 EVENT: acceptance, validation, duplicates and the instance's event limits. */
import { describe, expect, it } from 'vitest'
import { MAIN_LIMITS } from './platform'
import { newKey, now, plain, prefixed, sign, signLoosely, useClients, type Event } from './helpers'

const connect = useClients()

/** A copy of a signed event with one field changed (id and sig kept). */
const tamper = (e: Event, patch: Record<string, unknown>) => ({ ...e, ...patch })
const flipHex = (hex: string, at = 10) => hex.slice(0, at) + (hex[at] === '0' ? '1' : '0') + hex.slice(at + 1)

describe('valid events', () => {
  it("answers ['OK', id, true, ''] and serves the event back unchanged", async () => {
    const c = await connect()
    const e = sign(newKey(), { content: 'hello "world"\n\\ ü 😀', tags: [['t', 'x'], ['client', 'a', 'b']] })
    expect(await c.publish(e)).toEqual([true, ''])
    expect(await c.query({ ids: [e.id] })).toEqual([plain(e)])
  })

  it('accepts an event with created_at slightly in the future, within created_at_upper_limit', async () => {
    const c = await connect()
    expect(await c.publish(sign(newKey(), { created_at: now() + 60 }))).toEqual([true, ''])
  })

  it('answers a duplicate with OK true and a duplicate: prefix, and stores it once', async () => {
    const [c, d] = [await connect(), await connect()]
    const e = sign(newKey())
    expect(await c.publish(e)).toEqual([true, ''])
    const [ok, msg] = await c.publish(e)
    expect(ok).toBe(true)
    expect(msg).toMatch(prefixed('duplicate'))
    const [ok2, msg2] = await d.publish(e)
    expect([ok2, msg2]).toEqual([true, expect.stringMatching(prefixed('duplicate'))])
    expect(await d.query({ ids: [e.id] })).toHaveLength(1)
  })
})

describe('invalid events are refused with OK false invalid:', () => {
  /** Sends `event`, expects OK false invalid:, and that nothing under `storedId` was stored. */
  const refused = async (event: Record<string, unknown>, storedId = event.id as string) => {
    const c = await connect()
    const [ok, msg] = await c.publish(event)
    expect(ok).toBe(false)
    expect(msg).toMatch(prefixed('invalid'))
    expect(await c.query({ ids: [storedId] })).toEqual([])
  }

  it('a bad signature', async () => {
    const e = sign(newKey())
    await refused(tamper(e, { sig: flipHex(e.sig) }))
  })

  it('a signature by another key', async () => {
    const e = sign(newKey())
    await refused(tamper(e, { sig: sign(newKey()).sig }))
  })

  it('an id that does not match the content', async () => {
    const e = sign(newKey(), { content: 'original' })
    await refused(tamper(e, { content: 'changed' }))
  })

  it('an id that does not match the tags', async () => {
    const e = sign(newKey(), { tags: [['t', 'a']] })
    await refused(tamper(e, { tags: [['t', 'b']] }))
  })

  it('an id that does not match the created_at', async () => {
    const e = sign(newKey())
    await refused(tamper(e, { created_at: e.created_at - 1 }))
  })

  // Each of these is correctly hashed and signed by a serializer that does not check types.
  const wrongTypes: Array<[string, Record<string, unknown>]> = [
    ['kind as a string', { kind: '1' }],
    ['kind out of range', { kind: 70000 }],
    ['negative kind', { kind: -1 }],
    ['created_at as a string', { created_at: String(now()) }],
    ['fractional created_at', { created_at: now() + 0.5 }],
    ['negative created_at', { created_at: -1 }],
    ['content as a number', { content: 42 }],
    ['content null', { content: null }],
    ['tags as an object', { tags: {} }],
    ['tags null', { tags: null }],
    ['a tag that is a string', { tags: ['t'] }],
    ['a tag element that is a number', { tags: [['t', 1]] }],
    ['a tag element that is null', { tags: [['t', null]] }],
    ['an empty tag', { tags: [[]] }],
  ]
  it.each(wrongTypes)('%s', async (_name, fields) => {
    await refused(await signLoosely(newKey(), fields))
  })

  const badFormats: Array<[string, (e: Event) => Record<string, unknown>]> = [
    ['uppercase hex pubkey', (e) => ({ pubkey: e.pubkey.toUpperCase() })],
    ['short pubkey', (e) => ({ pubkey: e.pubkey.slice(2) })],
    ['pubkey as a number', () => ({ pubkey: 1 })],
    ['uppercase hex sig', (e) => ({ sig: e.sig.toUpperCase() })],
    ['short sig', (e) => ({ sig: e.sig.slice(2) })],
    ['missing sig', () => ({ sig: undefined })],
    ['missing tags', () => ({ tags: undefined })],
    ['missing content', () => ({ content: undefined })],
    ['uppercase hex id', (e) => ({ id: e.id.toUpperCase() })],
    ['non-hex id', () => ({ id: 'z'.repeat(64) })],
  ]
  it.each(badFormats)('%s', async (_name, patch) => {
    const e = sign(newKey())
    await refused(tamper(e, patch(e)), e.id)
  })
})

describe('instance limits on events', () => {
  const publish = async (e: Event) => (await connect()).publish(e)

  it('refuses created_at further in the future than created_at_upper_limit', async () => {
    const [ok, msg] = await publish(sign(newKey(), { created_at: now() + MAIN_LIMITS.CREATED_AT_UPPER_LIMIT + 300 }))
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('invalid'))])
  })

  it('refuses created_at further in the past than created_at_lower_limit', async () => {
    const [ok, msg] = await publish(sign(newKey(), { created_at: now() - MAIN_LIMITS.CREATED_AT_LOWER_LIMIT - 3600 }))
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('invalid'))])
  })

  it('accepts created_at in the past within created_at_lower_limit', async () => {
    expect(await publish(sign(newKey(), { created_at: now() - MAIN_LIMITS.CREATED_AT_LOWER_LIMIT + 3600 }))).toEqual([true, ''])
  })

  it('accepts max_event_tags tags and refuses one more', async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => ['t', `tag${i}`])
    expect(await publish(sign(newKey(), { tags: tags(MAIN_LIMITS.MAX_EVENT_TAGS) }))).toEqual([true, ''])
    const [ok, msg] = await publish(sign(newKey(), { tags: tags(MAIN_LIMITS.MAX_EVENT_TAGS + 1) }))
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('invalid'))])
  })

  it('accepts max_content_length characters of content and refuses one more', async () => {
    expect(await publish(sign(newKey(), { content: 'a'.repeat(MAIN_LIMITS.MAX_CONTENT_LENGTH) }))).toEqual([true, ''])
    const [ok, msg] = await publish(sign(newKey(), { content: 'a'.repeat(MAIN_LIMITS.MAX_CONTENT_LENGTH + 1) }))
    expect([ok, msg]).toEqual([false, expect.stringMatching(prefixed('invalid'))])
  })

  it('counts content length in characters, not UTF-16 units (astral characters)', async () => {
    expect(await publish(sign(newKey(), { content: '😀'.repeat(MAIN_LIMITS.MAX_CONTENT_LENGTH) }))).toEqual([true, ''])
  })
})
