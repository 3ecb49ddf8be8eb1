/** Blossom authorization events (kind 24242, BUD-01/BUD-02). Pure. */
import type { NostrEvent } from '../../sdk/nostr/signer'
import { tagValue } from '../nip98'

export const BLOSSOM_AUTH_KIND = 24242
/** Clocks differ: created_at may lie this far in the future. */
export const CLOCK_SKEW = 60

export type BlossomVerb = 'get' | 'upload' | 'list' | 'delete'

/** BUD-01's checks in order, then BUD-02's for the verb: an `x` tag naming the blob. */
export function checkBlossomAuth(event: NostrEvent, verb: BlossomVerb, now: number, sha256?: string): string | null {
  if (event.kind !== BLOSSOM_AUTH_KIND) return `auth event must be kind ${BLOSSOM_AUTH_KIND}`
  if (event.created_at > now + CLOCK_SKEW) return 'auth event created_at is in the future'
  const expiration = Number(tagValue(event, 'expiration'))
  if (!Number.isSafeInteger(expiration)) return 'auth event has no expiration tag'
  if (expiration <= now) return 'auth event has expired'
  if (tagValue(event, 't') !== verb) return `auth event t tag must be ${verb}`
  if (sha256 !== undefined && !event.tags.some((t) => t[0] === 'x' && t[1] === sha256)) return 'auth event has no x tag for this blob'
  return null
}
