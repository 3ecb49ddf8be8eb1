/** NIP-01 events: shape validation, kind classes and the canonical wire form. Pure. */
import { isHex64 } from '../../sdk/dvm/kinds'

export interface NostrEvent {
  id: string
  pubkey: string
  created_at: number
  kind: number
  tags: string[][]
  content: string
  sig: string
}

export type KindClass = 'regular' | 'replaceable' | 'ephemeral' | 'addressable'

export function kindClass(kind: number): KindClass {
  if (kind === 0 || kind === 3 || (kind >= 10000 && kind < 20000)) return 'replaceable'
  if (kind >= 20000 && kind < 30000) return 'ephemeral'
  if (kind >= 30000 && kind < 40000) return 'addressable'
  return 'regular'
}

export { isHex64 }
const isHex128 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{128}$/.test(s)

export interface EventLimits {
  maxEventTags: number
  maxContentLength: number
  /** Seconds into the past a created_at may lie (NIP-11 created_at_lower_limit). */
  createdAtLowerLimit: number
  /** Seconds into the future a created_at may lie (NIP-11 created_at_upper_limit). */
  createdAtUpperLimit: number
}

/**
 * Checks everything about an event except its id hash and signature, which cost far more
 * and are left to the verifier. Returns the reason for an `invalid:` answer, or null.
 */
export function checkEventShape(e: unknown, limits: EventLimits, now: number): string | null {
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'event must be a JSON object'
  const ev = e as Record<string, unknown>
  if (!isHex64(ev.id)) return 'id must be 64 lowercase hex characters'
  if (!isHex64(ev.pubkey)) return 'pubkey must be 64 lowercase hex characters'
  if (!isHex128(ev.sig)) return 'sig must be 128 lowercase hex characters'
  if (!Number.isSafeInteger(ev.created_at) || (ev.created_at as number) < 0) return 'created_at must be a non-negative integer'
  if (!Number.isInteger(ev.kind) || (ev.kind as number) < 0 || (ev.kind as number) > 65535) return 'kind must be an integer from 0 to 65535'
  if (typeof ev.content !== 'string') return 'content must be a string'
  if (!Array.isArray(ev.tags)) return 'tags must be an array'
  for (const tag of ev.tags) {
    if (!Array.isArray(tag) || tag.length === 0) return 'each tag must be a non-empty array'
    for (const v of tag) if (typeof v !== 'string') return 'tag elements must be strings'
  }
  if (ev.tags.length > limits.maxEventTags) return `too many tags (max ${limits.maxEventTags})`
  if (characterCount(ev.content) > limits.maxContentLength) return `content too long (max ${limits.maxContentLength} characters)`
  const createdAt = ev.created_at as number
  if (createdAt < now - limits.createdAtLowerLimit) return 'created_at is too far in the past'
  if (createdAt > now + limits.createdAtUpperLimit) return 'created_at is too far in the future'
  return null
}

/** NIP-11 counts content in unicode characters, not UTF-16 units. */
function characterCount(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) n--
  }
  return n
}

/** The serialization whose sha256 is the event id (NIP-01). */
export function serializeForId(e: NostrEvent): string {
  return JSON.stringify([0, e.pubkey, e.created_at, e.kind, e.tags, e.content])
}

/**
 * The event as we store and send it: exactly the seven NIP-01 fields, nothing a client added,
 * id first, so its JSON begins `{"id":"<64 hex>"` and `rawEventId` can read it back unparsed.
 */
export function canonicalEvent(e: NostrEvent): NostrEvent {
  return { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content, sig: e.sig }
}

export const rawEventId = (raw: string): string => raw.slice(7, 71)
