/** Malformed and hostile input: answered with NOTICE (or OK/CLOSED), never a crash or disconnect. */
import { describe, expect, it } from 'vitest'
import { hostileFrame, rng } from './fuzz'
import { authEvent, ids, newKey, now, randomHex, sign, useClients, type RawClient } from './helpers'

const connect = useClients()

/** The connection still answers: a REQ gets its EOSE, an EVENT its OK. */
async function stillWorks(c: RawClient) {
  expect(c.isOpen).toBe(true)
  const e = sign(newKey())
  expect(await c.publish(e)).toEqual([true, ''])
  const subId = `alive-${randomHex().slice(0, 8)}`
  c.send(['REQ', subId, { ids: [e.id] }])
  expect(ids((await c.collect(subId, 60_000)).events)).toEqual([e.id])
}

describe('frames that cannot be acted on get a NOTICE', () => {
  const cases: Array<[string, string]> = [
    ['truncated JSON', '["REQ","sub",{"kinds":[1]'],
    ['an empty frame', ''],
    ['plain text', 'hello relay'],
    ['a JSON object', '{"verb":"REQ"}'],
    ['a JSON string', '"EVENT"'],
    ['a JSON number', '42'],
    ['null', 'null'],
    ['an empty array', '[]'],
    ['a verb that is not a string', '[1,"sub",{}]'],
    ['an unknown verb', '["HELLO","sub"]'],
    ['a lowercase verb', '["req","sub",{}]'],
    ['REQ with a numeric subscription id', '["REQ",1,{}]'],
    ['REQ with a null subscription id', '["REQ",null,{}]'],
    ['REQ without a subscription id', '["REQ"]'],
    ['CLOSE with a numeric subscription id', '["CLOSE",1]'],
    ['CLOSE without a subscription id', '["CLOSE"]'],
    ['EVENT without an event', '["EVENT"]'],
    ['EVENT with a string', '["EVENT","event"]'],
    ['EVENT with an array', '["EVENT",[1,2]]'],
    ['EVENT with an object without an id', '["EVENT",{"kind":1,"content":""}]'],
    ['EVENT with a numeric id', '["EVENT",{"id":1}]'],
    ['AUTH with a string', '["AUTH","challenge"]'],
  ]

  it.each(cases)('%s', async (_name, text) => {
    const c = await connect()
    c.sendText(text)
    expect(await c.next(() => true)).toEqual(['NOTICE', expect.any(String)])
    await stillWorks(c)
  })

  it('a binary frame', async () => {
    const c = await connect()
    c.sendBinary(Buffer.from(JSON.stringify(['REQ', 'bin', {}])))
    expect(await c.next(() => true)).toEqual(['NOTICE', expect.any(String)])
    expect(c.frames.filter((f) => f[1] === 'bin')).toEqual([])
    await stillWorks(c)
  })
})

describe('frames with a known id or subscription id are answered with OK or CLOSED', () => {
  it('an EVENT with a valid id but garbage fields gets OK false invalid:', async () => {
    const c = await connect()
    const id = randomHex()
    c.send(['EVENT', { id, pubkey: 7, created_at: 'now', kind: [], tags: 'none', content: {}, sig: null }])
    expect(await c.next(() => true)).toEqual(['OK', id, false, expect.stringMatching(/^invalid: /)])
    await stillWorks(c)
  })

  it.each([
    ['REQ with a filter that is a string', ['REQ', 'sub', 'filter']],
    ['REQ with a filter that is null', ['REQ', 'sub', null]],
    ['REQ with a filter that is an array', ['REQ', 'sub', [{}]]],
    ['REQ with kinds that is not a list', ['REQ', 'sub', { kinds: 1 }]],
    ['REQ with limit that is a string', ['REQ', 'sub', { limit: '10' }]],
    ['COUNT with a non-hex id', ['COUNT', 'sub', { ids: ['x'] }]],
  ])('%s', async (_name, msg) => {
    const c = await connect()
    c.send(msg)
    expect(await c.next(() => true)).toEqual(['CLOSED', 'sub', expect.stringMatching(/^(invalid|unsupported): /)])
    await stillWorks(c)
  })

  it('CLOSE of a subscription that does not exist is harmless', async () => {
    const c = await connect()
    c.send(['CLOSE', 'never-opened'])
    await stillWorks(c)
  })
})

describe('fuzzing', () => {
  it('10,000 hostile frames: no crash, the connection and the other clients keep working', async () => {
    const [fuzz, bystander, pub] = [await connect(), await connect(), await connect()]
    const k = newKey()
    await bystander.subscribe('watch', { authors: [k.pk] })

    const fk = newKey()
    const templates: unknown[] = [
      ['EVENT', sign(fk, { tags: [['t', 'fuzz'], ['e', randomHex()], ['p', randomHex()]] })],
      ['EVENT', sign(fk, { kind: 0, content: '{"name":"fuzz"}' })],
      ['EVENT', sign(fk, { kind: 5, tags: [['e', randomHex()], ['a', `30000:${fk.pk}:x`]] })],
      ['EVENT', sign(fk, { kind: 30000, tags: [['d', 'x']] })],
      ['EVENT', sign(fk, { kind: 20001, tags: [['-']] })],
      ['EVENT', sign(fk, { tags: [['expiration', String(now() + 3600)]] })],
      ['REQ', 'fz', { authors: [fk.pk], kinds: [1, 0], limit: 5 }],
      ['REQ', 'fz2', { '#t': ['fuzz'], since: 1, until: now(), limit: 3 }, { ids: [randomHex()] }],
      ['COUNT', 'fc', { authors: [fk.pk] }, { '#p': [randomHex()] }],
      ['CLOSE', 'fz'],
      ['AUTH', authEvent(fk, fuzz)],
    ]
    const r = rng(20261125)
    for (let i = 0; i < 10_000; i++) {
      const frame = hostileFrame(r, templates)
      if (typeof frame === 'string') fuzz.sendText(frame)
      else fuzz.sendBinary(frame)
    }

    // The fuzzed connection is still open and answers, after everything it sent before.
    fuzz.send(['COUNT', 'after-fuzz', { authors: [k.pk] }])
    expect(await fuzz.next((f) => f[1] === 'after-fuzz', 120_000)).toEqual(['COUNT', 'after-fuzz', { count: 0 }])
    await stillWorks(fuzz)
    expect(fuzz.frames.some((f) => f[0] === '<not json>')).toBe(false)
    // Hostile input is refused for what it is, never by an internal failure.
    const message = (f: unknown[]) => String(f[0] === 'NOTICE' ? f[1] : f[0] === 'OK' ? f[3] : f[0] === 'CLOSED' ? f[2] : '')
    expect(fuzz.frames.filter((f) => message(f).startsWith('error:'))).toEqual([])

    // Bystanders kept their connection and their subscription.
    const e = sign(k)
    await pub.publishAll([e])
    expect((await bystander.nextEvent('watch'))[2].id).toBe(e.id)
    expect(bystander.isOpen && pub.isOpen).toBe(true)
    const fresh = await connect()
    await stillWorks(fresh)
  }, 180_000)
})
