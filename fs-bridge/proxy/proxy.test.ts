import { SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { httpAuthHeader } from '../../sdk/services/edge/nip98'
import { newSigner, ORIGIN, signedFetch } from '../testing/auth'

const origin = inject('edgeOrigin')
const signer = newSigner()
const viaProxy = (target: string, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array } = {}) =>
  signedFetch(signer, init.method ?? 'GET', `${ORIGIN}/proxy/${target}`, { ...init, redirect: 'manual' })
const unique = () => crypto.randomUUID()

describe('edge HTTP proxy', () => {
  it('serves the second identical GET from cache', async () => {
    const target = `${origin}/cacheable?id=${unique()}`
    const first = await viaProxy(target)
    expect(first.status).toBe(200)
    expect(first.headers.get('X-Cache')).toBe('MISS')
    expect(await first.json()).toMatchObject({ hits: 1 })
    const second = await viaProxy(target)
    expect(second.headers.get('X-Cache')).toBe('HIT')
    expect(second.headers.get('Cache-Control')).toBe('public, max-age=300')
    expect(await second.json()).toMatchObject({ hits: 1 })
  })

  it('keeps one cached answer per value of the headers the origin varies on', async () => {
    const target = `${origin}/vary?id=${unique()}`
    const en = await (await viaProxy(target, { headers: { 'Accept-Language': 'en' } })).json()
    const fr = await viaProxy(target, { headers: { 'Accept-Language': 'fr' } })
    expect(fr.headers.get('X-Cache')).toBe('MISS')
    expect(await fr.json()).toMatchObject({ hits: 2, headers: { 'accept-language': 'fr' } })
    const enAgain = await viaProxy(target, { headers: { 'Accept-Language': 'en' } })
    expect(enAgain.headers.get('X-Cache')).toBe('HIT')
    expect(await enAgain.json()).toEqual(en)
  })

  it('does not keep private answers, nor answer from cache when the request says no-cache', async () => {
    const target = `${origin}/private?id=${unique()}`
    await viaProxy(target)
    const again = await viaProxy(target)
    expect(again.headers.get('X-Cache')).toBe('BYPASS')
    expect(await again.json()).toMatchObject({ hits: 2 })
    const cacheable = `${origin}/cacheable?id=${unique()}`
    await viaProxy(cacheable)
    const fresh = await viaProxy(cacheable, { headers: { 'Cache-Control': 'no-cache' } })
    expect(await fresh.json()).toMatchObject({ hits: 2 })
  })

  it('passes method, body and X-Proxy-Authorization to the origin, and keeps its own Authorization', async () => {
    const res = await viaProxy(`${origin}/echo`, { method: 'POST', body: new TextEncoder().encode('payload'), headers: { 'X-Proxy-Authorization': 'Bearer origin-token' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ method: 'POST', body: 'payload', headers: { authorization: 'Bearer origin-token' } })
  })

  it('refuses loopback, link-local and non-HTTP targets', async () => {
    for (const target of ['http://127.0.0.1/', 'http://169.254.169.254/latest/meta-data/', 'file:///etc/passwd', 'http://[::1]/', 'http://10.1.2.3/']) {
      const res = await viaProxy(target)
      expect(res.status, target).toBe(403)
      expect(await res.json(), target).toMatchObject({ error: { code: 'permission-denied' } })
    }
  })

  it('passes redirects back instead of following them inside', async () => {
    const res = await viaProxy(`${origin}/redirect`)
    expect(res.status).toBe(302)
    expect(res.headers.get('Location')).toBe('http://127.0.0.1/')
  })

  it('caps bodies and time', async () => {
    const big = await viaProxy(`${origin}/big?bytes=${2 << 20}`)
    expect(big.status).toBe(502)
    expect(await big.json()).toMatchObject({ error: { code: 'too-large' } })
    const slow = await viaProxy(`${origin}/slow`)
    expect(slow.status).toBe(504)
    const upload = await viaProxy(`${origin}/echo`, { method: 'PUT', body: new Uint8Array(2 << 20) })
    expect(upload.status).toBe(413)
  })

  it('refuses callers without a valid NIP-98 event', async () => {
    const url = `${ORIGIN}/proxy/${origin}/cacheable`
    expect((await signedFetch(null, 'GET', url)).status).toBe(401)
    const forAnother = await httpAuthHeader(signer, `${ORIGIN}/proxy/${origin}/other`, 'GET')
    expect((await SELF.fetch(url, { headers: { Authorization: forAnother } })).status).toBe(401)
  })
})
