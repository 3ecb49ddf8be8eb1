/** NIP-98 HTTP auth, the client half: an `Authorization: Nostr <base64 event>` header per request. */
import { bytesToBase64 } from '../../fs/io'
import type { Signer } from '../../nostr/signer'

export const HTTP_AUTH_KIND = 27235

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The header value authorising `method url` (and, when given, exactly this body) for `signer`. */
export async function httpAuthHeader(signer: Signer, url: string, method: string, body?: Uint8Array): Promise<string> {
  // The nonce keeps two identical requests in one second apart: servers refuse a repeated event id.
  const tags = [
    ['u', url],
    ['method', method.toUpperCase()],
    ['nonce', crypto.randomUUID()],
  ]
  if (body && body.length > 0) tags.push(['payload', await sha256Hex(body)])
  const event = await signer.signEvent({ kind: HTTP_AUTH_KIND, created_at: Math.floor(Date.now() / 1000), tags, content: '' })
  return `Nostr ${bytesToBase64(new TextEncoder().encode(JSON.stringify(event)))}`
}
