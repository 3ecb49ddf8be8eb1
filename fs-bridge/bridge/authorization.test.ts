/** Who may do what: the permission matrix over the relay, grants with expiry and revocation, the journal. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { bytesToBase64 } from '../../sdk/fs/io'
import { BridgeClient, seconds, uniqueNs } from './testing/client'

const HTTP_REQUEST = bytesToBase64(new TextEncoder().encode(JSON.stringify({ method: 'GET', url: 'http://10.0.0.1/' })))
const data = (text: string) => bytesToBase64(new TextEncoder().encode(text))

/** What `who` gets for a read, a write, a control write and reading the journal. */
async function matrix(who: BridgeClient, ns: string) {
  return {
    read: await who.code('read', ns, '/w/f.txt'),
    write: await who.code('write', ns, '/w/f.txt', { data_b64: data('x'), create: true, truncate: true }),
    control: await who.code('write', ns, '/cap/http/request', { data_b64: HTTP_REQUEST }),
    journal: await who.code('read', ns, '/logs/audit.jsonl'),
  }
}

async function until<T>(check: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('authorization', () => {
  let owner: BridgeClient
  let other: BridgeClient
  let ns: string
  beforeEach(async () => {
    owner = await BridgeClient.open()
    other = await BridgeClient.open()
    ns = uniqueNs('auth')
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }, { path: '/cap/http', service: 'http' }, { path: '/task', service: 'mem', mode: 'ro' }])
    await owner.write(ns, '/w/f.txt', 'owned')
  })
  afterEach(() => {
    owner.close()
    other.close()
  })

  it('gives the owner everything', async () => {
    expect(await matrix(owner, ns)).toEqual({ read: 'ok', write: 'ok', control: 'ok', journal: 'ok' })
  })

  it('gives a grantee exactly what the grant says, and never the journal', async () => {
    await owner.grant('rw', other.pubkey, ns, [['/w', 'rw'], ['/cap/http', 'rw']])
    expect(await matrix(other, ns)).toEqual({ read: 'ok', write: 'ok', control: 'EACCES', journal: 'EACCES' })
    await owner.grant('rw', other.pubkey, ns, [['/w', 'r'], ['/cap/http', 'rx'], ['/logs', 'rwx']])
    expect(await matrix(other, ns)).toEqual({ read: 'ok', write: 'EACCES', control: 'ok', journal: 'EACCES' })
  })

  it('hides a namespace from a pubkey without a grant, and a grant for another namespace does not count', async () => {
    await owner.grant('elsewhere', other.pubkey, 'some-other-ns', [['/', 'rwx']])
    const refused = { read: 'EACCES', write: 'EACCES', control: 'EACCES', journal: 'EACCES' }
    expect(await matrix(other, ns)).toEqual(refused)
    expect(await other.call('stat', ns, '/w')).toMatchObject({ ok: false, error: { message: expect.stringContaining('does not exist or is not shared') } })
    expect(await other.call('stat', 'no-such-namespace', '/w')).toMatchObject({ ok: false, error: { code: 'EACCES' } })
  })

  it('honours a grant only until its expiration', async () => {
    await owner.grant('soon', other.pubkey, ns, [['/w', 'rw']], [['expiration', String(seconds() + 2)]])
    expect(await other.code('read', ns, '/w/f.txt')).toBe('ok')
    expect(await until(() => other.code('read', ns, '/w/f.txt'), (c) => c !== 'ok')).toBe('EACCES')
  })

  it('takes a grant back when the owner replaces it without allow tags', async () => {
    await owner.grant('g', other.pubkey, ns, [['/w', 'rw']])
    expect(await other.code('write', ns, '/w/g.txt', { data_b64: data('y'), create: true })).toBe('ok')
    await owner.publish({ kind: 35931, tags: [['d', 'g'], ['p', other.pubkey], ['ns', ns]], created_at: seconds() + 1 })
    expect(await other.code('read', ns, '/w/g.txt')).toBe('EACCES')
  })

  it('takes a grant back when the owner deletes its address (NIP-09)', async () => {
    await owner.grant('d', other.pubkey, ns, [['/w', 'r']])
    expect(await other.code('read', ns, '/w/f.txt')).toBe('ok')
    await owner.publish({ kind: 5, tags: [['a', `35931:${owner.pubkey}:d`], ['k', '35931']], created_at: seconds() + 1 })
    expect(await other.code('read', ns, '/w/f.txt')).toBe('EACCES')
  })

  it('ignores grants that someone other than the owner signed', async () => {
    const mallory = await BridgeClient.open()
    await mallory.grant('forged', other.pubkey, ns, [['/', 'rwx']])
    expect(await other.code('read', ns, '/w/f.txt')).toBe('EACCES')
    mallory.close()
  })

  it('lets a grant narrow what is mounted, never widen it', async () => {
    await owner.grant('wide', other.pubkey, ns, [['/', 'rwx']])
    expect(await other.code('write', ns, '/task/spec.json', { data_b64: data('{}'), create: true })).toBe('EROFS')
    expect(await other.code('stat', ns, '/nowhere/x')).toBe('ENOENT')
    expect(await other.code('read', ns, '/logs/audit.jsonl')).toBe('EACCES')
  })

  it('journals every judged request, allowed or denied, for the owner to read', async () => {
    await other.code('read', ns, '/w/f.txt')
    await owner.ok('stat', ns, '/w/f.txt')
    const lines = (await owner.readText(ns, '/logs/audit.jsonl')).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toContainEqual(expect.objectContaining({ pubkey: other.pubkey, op: 'read', path: '/w/f.txt', allowed: false, code: 'EACCES' }))
    expect(lines).toContainEqual(expect.objectContaining({ pubkey: owner.pubkey, op: 'stat', path: '/w/f.txt', allowed: true, code: null }))
    expect(lines).toContainEqual(expect.objectContaining({ pubkey: owner.pubkey, op: 'write', path: '/w/f.txt', allowed: true, code: null }))
    const res = await owner.http('GET', `/fs/namespaces/${ns}/audit?after=0&limit=100`)
    expect(res.headers.get('Content-Type')).toMatch(/ndjson/)
    const overHttp = new TextDecoder().decode(await res.arrayBuffer()).trim().split('\n').map((l) => JSON.parse(l))
    expect(overHttp.length).toBeGreaterThanOrEqual(4)
    expect(overHttp.every((e) => typeof e.id === 'number' && typeof e.at === 'number' && typeof e.request === 'string')).toBe(true)
    expect((await other.http('GET', `/fs/namespaces/${ns}/audit`)).status).toBe(404)
  })
})
