/** Tag conventions the relay acts on (NIP-01 d/single-letter, NIP-40, NIP-70). Pure. */
import { kindClass, type NostrEvent } from './event'

export function tagValue(e: Pick<NostrEvent, 'tags'>, name: string): string | undefined {
  for (const t of e.tags) if (t[0] === name) return t[1]
  return undefined
}

/** Single-letter tags are indexed; only the first value of each counts (NIP-01). */
export function indexedTags(e: Pick<NostrEvent, 'tags'>): Array<[name: string, value: string]> {
  const out: Array<[string, string]> = []
  const seen = new Set<string>()
  for (const t of e.tags) {
    if (t.length < 2 || t[0].length !== 1 || !isLetter(t[0])) continue
    const key = t[0] + '\u0000' + t[1]
    if (seen.has(key)) continue
    seen.add(key)
    out.push([t[0], t[1]])
  }
  return out
}

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')

/**
 * The address of a replaceable or addressable event, `kind:pubkey:d` (with an empty d for
 * replaceable kinds, as NIP-01 writes `a` tags), or null for other kinds.
 */
export function addressOf(e: Pick<NostrEvent, 'kind' | 'pubkey' | 'tags'>): string | null {
  const cls = kindClass(e.kind)
  if (cls === 'replaceable') return `${e.kind}:${e.pubkey}:`
  if (cls === 'addressable') return `${e.kind}:${e.pubkey}:${tagValue(e, 'd') ?? ''}`
  return null
}

/** NIP-40: the expiration time in seconds, or null if absent or unreadable. */
export function expirationOf(e: Pick<NostrEvent, 'tags'>): number | null {
  const v = tagValue(e, 'expiration')
  if (v === undefined || !/^\d{1,15}$/.test(v)) return null
  return Number(v)
}

/** NIP-70: an event carrying `["-"]` may only be published by its authenticated author. */
export function isProtected(e: Pick<NostrEvent, 'tags'>): boolean {
  return e.tags.some((t) => t.length === 1 && t[0] === '-')
}

/** Newer wins; on equal created_at the lowest id wins (NIP-01). */
export function supersedes(a: Pick<NostrEvent, 'created_at' | 'id'>, b: Pick<NostrEvent, 'created_at' | 'id'>): boolean {
  return a.created_at > b.created_at || (a.created_at === b.created_at && a.id < b.id)
}
