/** NIP-42 authentication events. Pure: the signature is checked by the caller's verifier. */
import type { NostrEvent } from './event'
import { tagValue } from './tags'

export const AUTH_KIND = 22242
/** How far an AUTH event's created_at may be from now, in seconds ("~10 minutes" in NIP-42). */
export const AUTH_WINDOW = 600

/**
 * Checks kind, time, challenge and relay URL. The relay tag must name this relay's host;
 * scheme, trailing slash and path are normalised away, as NIP-42 suggests.
 */
export function checkAuthEvent(e: NostrEvent, challenge: string, relayHost: string, now: number): string | null {
  if (e.kind !== AUTH_KIND) return `invalid: AUTH event must be kind ${AUTH_KIND}`
  if (Math.abs(e.created_at - now) > AUTH_WINDOW) return 'invalid: AUTH event created_at is not within 10 minutes of now'
  if (tagValue(e, 'challenge') !== challenge) return 'invalid: AUTH challenge does not match'
  const relay = tagValue(e, 'relay')
  if (!relay || hostOf(relay) !== relayHost.toLowerCase()) return 'invalid: AUTH relay tag does not name this relay'
  return null
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host.toLowerCase()
  } catch {
    return null
  }
}
