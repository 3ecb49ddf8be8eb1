/**
 * The fs-bridge end to end over real WebSockets: nostr-tools clients sign 25930 requests with
 * NIP-44 to the bridge's key and read 25931 answers from the relay, on an instance of its own
 * (default content limits, and a per-pubkey rate limit its flood test can reach).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { b64, FsClient, now, uniqueNs } from './fs-bridge-client'
import { RawClient, useInstance } from './helpers'

const instance = useInstance({ FS_RATE_PER_SECOND: '2', FS_RATE_BURST: '40' })
const clients: FsClient[] = []
const connect = async () => {
  const c = await FsClient.connect(instance().url, instance().httpUrl)
  clients.push(c)
  return c
}
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()))
})

describe('fs-bridge over WebSockets', () => {
  let owner: FsClient
  let ns: string
  beforeAll(async () => {
    owner = await connect()
    ns = uniqueNs()
    await owner.createNamespace(ns, [{ path: '/w', service: 'files' }, { path: '/task', service: 'mem', mode: 'ro' }, { path: '/cap/http', service: 'http' }])
  })

  it('serves every operation', async () => {
    const written = await owner.write(ns, '/w/a.txt', 'hello')
    expect(written).toEqual({ size: 5, etag: expect.any(String) })
    expect(await owner.ok('stat', ns, '/w/a.txt')).toMatchObject({ is_dir: false, size: 5, etag: written.etag })
    expect(await owner.readText(ns, '/w/a.txt')).toBe('hello')
    await owner.write(ns, '/w/a.txt', ' world', { append: true })
    expect(await owner.code('write', ns, '/w/a.txt', { create: true, exclusive: true })).toBe('EEXIST')
    expect(await owner.code('write', ns, '/w/a.txt', { data_b64: b64('x'), if_match: written.etag })).toBe('ECONFLICT')
    await owner.ok('mkdir', ns, '/w/d/e', { parents: true })
    await owner.ok('rename', ns, '/w/a.txt', { to: '/w/d/b.txt' })
    expect((await owner.ok('readdir', ns, '/w/d')).entries).toEqual([{ name: 'b.txt', is_dir: false, size: 11 }, { name: 'e', is_dir: true, size: expect.any(Number) }])
    expect(await owner.readText(ns, '/w/d/b.txt')).toBe('hello world')
    expect(await owner.code('remove', ns, '/w/d')).toBe('ENOTEMPTY')
    await owner.ok('remove', ns, '/w/d', { recursive: true })
    expect(await owner.code('stat', ns, '/w/d')).toBe('ENOENT')
  })

  it('sends watch notifications in order with a dense seq', async () => {
    const { watch_id } = await owner.ok('watch', ns, '/w', { recursive: true })
    for (let i = 0; i < 4; i++) await owner.write(ns, `/w/n${i}`, String(i))
    const changes: string[] = []
    for (let seq = 1; changes.length < 8; seq++) {
      const note = await owner.notification(watch_id)
      expect(note.seq).toBe(seq)
      changes.push(...note.changes.map((c) => `${c.type} ${c.path}`))
    }
    expect(changes).toEqual([0, 1, 2, 3].flatMap((i) => [`create /w/n${i}`, `modify /w/n${i}`]))
    await owner.ok('unwatch', ns, '/w', { watch_id })
  })

  it('applies the permission matrix: owner, rw, r, none, expired, revoked', async () => {
    const [rw, r, none, expired, revoked] = await Promise.all([connect(), connect(), connect(), connect(), connect()])
    await owner.write(ns, '/w/m.txt', 'matrix')
    await owner.grant('rw', rw.pubkey, ns, [['/w', 'rw']])
    await owner.grant('r', r.pubkey, ns, [['/w', 'r']])
    const expiry = now() + 2
    await owner.grant('exp', expired.pubkey, ns, [['/w', 'rw']], [['expiration', String(expiry)]])
    await owner.grant('rev', revoked.pubkey, ns, [['/w', 'rw']])
    expect(await revoked.code('read', ns, '/w/m.txt')).toBe('ok')
    await owner.publish({ kind: 5, tags: [['a', `35931:${owner.pubkey}:rev`], ['k', '35931']], created_at: now() + 1 })
    expect(await expired.code('read', ns, '/w/m.txt')).toBe('ok')
    while (now() <= expiry) await new Promise((res) => setTimeout(res, 250))
    const row = async (who: FsClient) => [
      await who.code('read', ns, '/w/m.txt'),
      await who.code('write', ns, '/w/m.txt', { data_b64: b64('x'), truncate: true }),
      await who.code('write', ns, '/cap/http/request', { data_b64: b64('{"method":"GET","url":"http://10.0.0.1/"}') }),
      await who.code('read', ns, '/logs/audit.jsonl'),
    ]
    expect(await row(owner)).toEqual(['ok', 'ok', 'ok', 'ok'])
    expect(await row(rw)).toEqual(['ok', 'ok', 'EACCES', 'EACCES'])
    expect(await row(r)).toEqual(['ok', 'EACCES', 'EACCES', 'EACCES'])
    for (const who of [none, expired, revoked]) expect(await row(who)).toEqual(['EACCES', 'EACCES', 'EACCES', 'EACCES'])
  })

  it('refuses path escapes, unmounted paths, read-only and control writes with the right codes', async () => {
    const grantee = await connect()
    await owner.grant('attack', grantee.pubkey, ns, [['/w', 'rw'], ['/cap', 'rw']])
    for (const path of ['/w/../task/x', '/w/%2e%2e/task/x', '/w/x\u0000y', '/w/..\\task']) {
      expect(await owner.code('write', ns, path, { data_b64: b64('x'), create: true })).toBe('EINVAL')
    }
    expect(await owner.code('stat', ns, '/nowhere')).toBe('ENOENT')
    expect(await owner.code('write', ns, '/task/spec.json', { data_b64: b64('{}'), create: true })).toBe('EROFS')
    expect(await grantee.code('write', ns, '/cap/http/request', { data_b64: b64('{"method":"GET","url":"http://10.0.0.1/"}') })).toBe('EACCES')
    expect(await owner.code('write', ns, '/w/big', { data_b64: 'A'.repeat(32 * 1024 + 4), create: true })).toBe('ETOOBIG')
  })

  it('executes a replayed request once', async () => {
    await owner.write(ns, '/w/once.txt', 'a')
    const event = owner.requestEvent({ op: 'write', ns, path: '/w/once.txt', args: { data_b64: b64('b'), append: true } })
    expect(await owner.relay.publish(event)).toEqual([true, ''])
    expect((await owner.answer(event.id)).body).toMatchObject({ ok: true, result: { size: 2 } })
    // Sent again (as after a lost answer): the relay knows it, the bridge answers the same, once more.
    const [accepted, message] = await owner.relay.publish(event)
    expect(accepted).toBe(true)
    expect(message).toMatch(/^duplicate:/)
    expect((await owner.answer(event.id)).body).toMatchObject({ ok: true, result: { size: 2 } })
    expect(await owner.readText(ns, '/w/once.txt')).toBe('ab')
  })

  it('refuses a forged signature at the relay, and answers a stale created_at with EINVAL', async () => {
    const event = owner.requestEvent({ op: 'remove', ns, path: '/w/once.txt' })
    const [accepted] = await owner.relay.publish({ ...event, sig: event.sig.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) })
    expect(accepted).toBe(false)
    const stale = owner.requestEvent({ op: 'remove', ns, path: '/w/once.txt' }, (t) => {
      t.created_at = now() - 300
      t.tags = t.tags.filter((tag) => tag[0] !== 'expiration')
    })
    expect((await owner.relay.publish(stale))[0]).toBe(true)
    expect((await owner.answer(stale.id)).body).toMatchObject({ ok: false, error: { code: 'EINVAL' } })
    expect(await owner.readText(ns, '/w/once.txt')).toBe('ab')
  })

  it('leaves a request to another bridge\'s key unanswered', async () => {
    const other = getPublicKey(generateSecretKey())
    const misdirected = owner.requestEvent({ op: 'remove', ns, path: '/w/once.txt' }, (t) => {
      t.tags = t.tags.map((tag) => (tag[0] === 'p' ? ['p', other] : tag))
    })
    expect((await owner.relay.publish(misdirected))[0]).toBe(true)
    // The bridge answers in order: once a later request is answered, the earlier one would have been.
    expect(await owner.readText(ns, '/w/once.txt')).toBe('ab')
    await expect(owner.answer(misdirected.id, 200)).rejects.toThrow()
  })

  it('rate-limits a flood from one pubkey while serving another', async () => {
    const flooder = await connect()
    await owner.grant('flood', flooder.pubkey, ns, [['/w', 'r']])
    const events = Array.from({ length: 70 }, () => flooder.requestEvent({ op: 'stat', ns, path: '/w' }))
    for (const e of events) flooder.relay.send(['EVENT', e])
    expect(await owner.code('stat', ns, '/w')).toBe('ok')
    const codes = await Promise.all(events.map(async (e) => {
      const { body } = await flooder.answer(e.id, 30_000)
      return body.ok ? 'ok' : body.error.code
    }))
    expect(codes.filter((c) => c === 'EAGAIN').length).toBeGreaterThan(0)
    expect(codes.filter((c) => c === 'ok').length).toBeGreaterThan(0)
  }, 60_000)

  it('delivers requests and answers to nobody else', async () => {
    const anonymous = await RawClient.connect(instance().url)
    await anonymous.subscribe('spy', { kinds: [25930, 25931, 25932] })
    const eavesdropper = await connect()
    await eavesdropper.relay.subscribe('spy', { kinds: [25930, 25931, 25932] })
    expect(await owner.readText(ns, '/w/once.txt')).toBe('ab')
    const spied = (f: any[]) => f[0] === 'EVENT' && f[1] === 'spy'
    await expect(anonymous.next(spied, 300)).rejects.toThrow()
    await expect(eavesdropper.relay.next(spied, 300)).rejects.toThrow()
    await anonymous.close()
  })

  it('lets the owner read the journal over HTTP with NIP-98', async () => {
    const res = await owner.http('GET', `/fs/namespaces/${ns}/audit?limit=1000`)
    expect(res.status).toBe(200)
    const entries = (await res.text()).trim().split('\n').map((l) => JSON.parse(l))
    expect(entries.some((e) => e.allowed === false && e.code === 'EACCES')).toBe(true)
    expect(entries.some((e) => e.op === 'write' && e.allowed === true && e.code === null)).toBe(true)
    expect((await fetch(`${instance().httpUrl}/fs/namespaces/${ns}/audit`)).status).toBe(401)
  })
})
