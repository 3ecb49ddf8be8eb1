/**
 * NIP-98 HTTP auth, the server half, and the `Authorization: Nostr <base64 event>` header that
 * Blossom (kind 24242) shares with it. Pure: the signature check is passed in.
 */
import { isHex64 } from '../sdk/dvm/kinds'
import { verifyEvent } from 'nostr-tools/pure'
import type { NostrEvent } from '../sdk/nostr/signer'

export const HTTP_AUTH_KIND = 27235
/** How far created_at may be from now, in seconds (NIP-98 suggests 60). */
export const HTTP_AUTH_WINDOW = 60

export type Verify = (event: NostrEvent) => boolean
export const verifySignature: Verify = (event) => {
  try {
    return verifyEvent({ ...event })
  } catch {
    return false
  }
}

export type AuthResult = { ok: true; event: NostrEvent } | { ok: false; reason: string }

function isEvent(value: unknown): value is NostrEvent {
  const e = value as NostrEvent
  return (
    typeof e === 'object' && e !== null &&
    isHex64(e.id) &&
    isHex64(e.pubkey) &&
    typeof e.sig === 'string' && /^[0-9a-f]{128}$/.test(e.sig) &&
    Number.isSafeInteger(e.kind) && Number.isSafeInteger(e.created_at) &&
    typeof e.content === 'string' &&
    Array.isArray(e.tags) && e.tags.every((t) => Array.isArray(t) && t.every((v) => typeof v === 'string'))
  )
}

/** The signed event in an `Authorization: Nostr <base64>` header, checked for shape and signature. */
export function parseNostrAuthorization(header: string | null | undefined, verify: Verify = verifySignature): AuthResult {
  if (!header) return { ok: false, reason: 'missing Authorization header' }
  const m = /^Nostr\s+([A-Za-z0-9+/=_-]+)\s*$/.exec(header)
  if (!m) return { ok: false, reason: 'Authorization must use the Nostr scheme' }
  let event: unknown
  try {
    const binary = atob(m[1].replace(/-/g, '+').replace(/_/g, '/'))
    event = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))))
  } catch {
    return { ok: false, reason: 'Authorization is not base64 of a JSON event' }
  }
  if (!isEvent(event)) return { ok: false, reason: 'Authorization event is malformed' }
  if (!verify(event)) return { ok: false, reason: 'Authorization event has a bad id or signature' }
  return { ok: true, event }
}

export const tagValue = (event: NostrEvent, name: string): string | undefined => event.tags.find((t) => t[0] === name)?.[1]

export interface HttpRequestFacts {
  /** The absolute request URL, query included. */
  url: string
  method: string
  /** Unix seconds. */
  now: number
  /** SHA-256 hex of the body, when the request has one: the event must then carry it in `payload`. */
  payload?: string
}

/** NIP-98's checks, in its order, plus a payload hash bound to any body. */
export function checkHttpAuth(event: NostrEvent, request: HttpRequestFacts, window = HTTP_AUTH_WINDOW): string | null {
  if (event.kind !== HTTP_AUTH_KIND) return `auth event must be kind ${HTTP_AUTH_KIND}`
  if (Math.abs(event.created_at - request.now) > window) return `auth event created_at is not within ${window} s of now`
  if (tagValue(event, 'u') !== request.url) return 'auth event u tag does not match the request URL'
  if (tagValue(event, 'method')?.toUpperCase() !== request.method.toUpperCase()) return 'auth event method tag does not match the request method'
  const payload = tagValue(event, 'payload')
  if (request.payload !== undefined && payload !== request.payload) return 'auth event payload tag does not match the request body'
  return null
}

/** Both steps: the header's event, then NIP-98's checks; the authorised event, or why not. */
export function authorizeHttp(header: string | null | undefined, request: HttpRequestFacts, verify: Verify = verifySignature): AuthResult {
  const parsed = parseNostrAuthorization(header, verify)
  if (!parsed.ok) return parsed
  const reason = checkHttpAuth(parsed.event, request)
  return reason === null ? parsed : { ok: false, reason }
}
