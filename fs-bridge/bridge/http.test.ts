/** The bridge's HTTP API: the information document, namespaces under NIP-98, the KV registry. */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { BASE, BridgeClient, uniqueNs } from './testing/client'

const kv = () => (env as unknown as { NAMESPACES: KVNamespace }).NAMESPACES

describe('HTTP API', () => {
  it('publishes the bridge key, kinds and limits at /fs', async () => {
    const info = (await (await SELF.fetch(`${BASE}/fs`)).json()) as Record<string, any>
    expect(info).toMatchObject({
      pubkey: expect.stringMatching(/^[0-9a-f]{64}$/), protocol: 1,
      kinds: { request: 25930, response: 25931, notification: 25932, grant: 35931, manifest: 35930 },
      inline_max: 24576, clock_skew: 60, blob_store: true, audit_path: '/logs/audit.jsonl',
    })
    expect(info.services).toEqual(expect.arrayContaining(['mem', 'files', 'workspace', 'logs', 'http', 'ws']))
    expect(info.ops).toContain('watch')
  })

  it('creates, shows, replaces and deletes a namespace for its owner only, and registers it in KV', async () => {
    const owner = await BridgeClient.open()
    const other = await BridgeClient.open()
    const ns = uniqueNs('http')
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }])
    const registered = await kv().get<Record<string, any>>(`ns:${ns}`, 'json')
    expect(registered).toMatchObject({ id: ns, owner: owner.pubkey, mounts: [{ path: '/w', service: 'mem', mode: 'rw' }], bridge: expect.any(String) })
    expect(await (await owner.http('GET', `/fs/namespaces/${ns}`)).json()).toMatchObject({ id: ns, owner: owner.pubkey })
    expect((await other.http('GET', `/fs/namespaces/${ns}`)).status).toBe(404)
    expect((await other.http('PUT', `/fs/namespaces/${ns}`, { mounts: [{ path: '/w', service: 'mem' }] })).status).toBe(403)
    // KV is a cache: with its entry gone, the bridge's table answers and KV is filled again.
    await kv().delete(`ns:${ns}`)
    expect((await owner.http('GET', `/fs/namespaces/${ns}`)).status).toBe(200)
    expect(await kv().get(`ns:${ns}`)).not.toBeNull()
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }, { path: '/ro', service: 'mem', mode: 'ro' }])
    expect((await owner.ok('readdir', ns, '/')).entries.map((e: { name: string }) => e.name)).toEqual(['logs', 'ro', 'w'])
    expect((await other.http('DELETE', `/fs/namespaces/${ns}`)).status).toBe(403)
    expect((await owner.http('DELETE', `/fs/namespaces/${ns}`)).status).toBe(200)
    expect(await owner.code('stat', ns, '/w')).toBe('EACCES')
    expect(await kv().get(`ns:${ns}`)).toBeNull()
    owner.close()
    other.close()
  })

  it.each([
    ['a bad id', 'a:b', { mounts: [{ path: '/w', service: 'mem' }] }],
    ['no mounts', 'ok-id', { mounts: [] }],
    ['an unknown service', 'ok-id', { mounts: [{ path: '/w', service: 'ftp' }] }],
    ['another tree than its own', 'ok-id', { mounts: [{ path: '/w', service: 'files:../x' }] }],
    ['a mount over the journal', 'ok-id', { mounts: [{ path: '/logs/audit.jsonl', service: 'mem' }] }],
  ])('refuses %s with 400', async (_, id, body) => {
    const owner = await BridgeClient.open()
    const res = await owner.http('PUT', `/fs/namespaces/${id}`, body)
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ error: { code: 'EINVAL' } })
    owner.close()
  })

  it('refuses requests without a valid NIP-98 header, and a replayed one', async () => {
    expect((await SELF.fetch(`${BASE}/fs/namespaces/x`, { method: 'PUT', body: '{}' })).status).toBe(401)
    const owner = await BridgeClient.open()
    const url = `${BASE}/fs/namespaces/${uniqueNs()}`
    const body = JSON.stringify({ mounts: [{ path: '/w', service: 'mem' }] })
    const first = await owner.http('PUT', url.slice(BASE.length), JSON.parse(body))
    expect(first.status).toBe(200)
    // The same Authorization header again: refused.
    const { SecretKeySigner } = await import('../../sdk/nostr/signer')
    const { httpAuthHeader } = await import('../../sdk/services/edge/nip98')
    const bytes = new TextEncoder().encode(body)
    const header = await httpAuthHeader(new SecretKeySigner(owner.sk), url, 'PUT', bytes)
    expect((await SELF.fetch(url, { method: 'PUT', headers: { Authorization: header }, body: bytes })).status).toBe(200)
    expect((await SELF.fetch(url, { method: 'PUT', headers: { Authorization: header }, body: bytes })).status).toBe(403)
    // Bound to the body: another body with the same header is refused.
    expect((await SELF.fetch(url, { method: 'PUT', headers: { Authorization: header }, body: '{"mounts":[]}' })).status).toBe(401)
    owner.close()
  })
})
