import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { SecretKeySigner } from '../sdk/nostr/signer'
import { httpAuthHeader, sha256Hex } from '../sdk/services/edge/nip98'
import { authorizeHttp, checkHttpAuth, parseNostrAuthorization } from './nip98'

const sk = generateSecretKey()
const url = 'https://edge.test/files/ns/read/a.txt?x=1'
const now = Math.floor(Date.now() / 1000)
const event = (tags: string[][], over: { kind?: number; created_at?: number } = {}) =>
  finalizeEvent({ kind: 27235, created_at: now, content: '', tags, ...over }, sk)
const header = (e: object) => `Nostr ${btoa(JSON.stringify(e))}`

describe('NIP-98 HTTP auth', () => {
  it('accepts what the SDK signs, and names the signer', async () => {
    const result = authorizeHttp(await httpAuthHeader(new SecretKeySigner(sk), url, 'get'), { url, method: 'GET', now })
    expect(result).toMatchObject({ ok: true, event: { pubkey: getPublicKey(sk) } })
  })

  it('refuses a wrong URL, a wrong method and a stale or future time', () => {
    const good = [['u', url], ['method', 'GET']]
    expect(checkHttpAuth(event(good), { url, method: 'GET', now })).toBeNull()
    expect(checkHttpAuth(event([['u', url.replace('a.txt', 'b.txt')], ['method', 'GET']]), { url, method: 'GET', now })).toMatch(/u tag/)
    expect(checkHttpAuth(event([['u', url.split('?')[0]], ['method', 'GET']]), { url, method: 'GET', now })).toMatch(/u tag/)
    expect(checkHttpAuth(event([['u', url], ['method', 'PUT']]), { url, method: 'GET', now })).toMatch(/method/)
    expect(checkHttpAuth(event(good, { created_at: now - 61 }), { url, method: 'GET', now })).toMatch(/created_at/)
    expect(checkHttpAuth(event(good, { created_at: now + 61 }), { url, method: 'GET', now })).toMatch(/created_at/)
    expect(checkHttpAuth(event(good, { kind: 27234 }), { url, method: 'GET', now })).toMatch(/kind/)
  })

  it('binds a body through the payload tag', async () => {
    const body = new TextEncoder().encode('content')
    const payload = await sha256Hex(body)
    const facts = { url, method: 'PUT', now, payload }
    expect(checkHttpAuth(event([['u', url], ['method', 'PUT'], ['payload', payload]]), facts)).toBeNull()
    expect(checkHttpAuth(event([['u', url], ['method', 'PUT']]), facts)).toMatch(/payload/)
    expect(checkHttpAuth(event([['u', url], ['method', 'PUT'], ['payload', await sha256Hex(new Uint8Array(1))]]), facts)).toMatch(/payload/)
  })

  it('refuses headers that are missing, of another scheme, not an event, or badly signed', () => {
    expect(parseNostrAuthorization(undefined)).toMatchObject({ ok: false, reason: /missing/ })
    expect(parseNostrAuthorization('Bearer abc')).toMatchObject({ ok: false, reason: /Nostr scheme/ })
    expect(parseNostrAuthorization('Nostr !!!')).toMatchObject({ ok: false })
    expect(parseNostrAuthorization(`Nostr ${btoa('{"kind":27235}')}`)).toMatchObject({ ok: false, reason: /malformed/ })
    const forged = { ...event([['u', url], ['method', 'GET']]), content: 'changed' }
    expect(parseNostrAuthorization(header(forged))).toMatchObject({ ok: false, reason: /signature/ })
    expect(parseNostrAuthorization(header(event([['u', url], ['method', 'GET']])))).toMatchObject({ ok: true })
  })
})
