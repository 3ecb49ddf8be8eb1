/** NIP-01 filters: validation and matching. Pure. */
import { isHex64, type NostrEvent } from './event'

export interface Filter {
  ids?: string[]
  authors?: string[]
  kinds?: number[]
  since?: number
  until?: number
  limit?: number
  /** `#x` conditions, keyed by the single letter. */
  tags?: Record<string, string[]>
}

const HEX_TAGS = new Set(['e', 'p'])

/** Reads a wire filter. Returns the filter, or the reason for a `CLOSED invalid:`/`unsupported:` answer. */
export function parseFilter(raw: unknown): Filter | { error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { error: 'invalid: filter must be an object' }
  const f: Filter = {}
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'ids' || key === 'authors') {
      if (!Array.isArray(value) || !value.every(isHex64)) return { error: `invalid: ${key} must be 64-character lowercase hex values` }
      f[key] = value
    } else if (key === 'kinds') {
      if (!Array.isArray(value) || !value.every((k) => Number.isInteger(k) && k >= 0 && k <= 65535)) return { error: 'invalid: kinds must be integers from 0 to 65535' }
      f.kinds = value
    } else if (key === 'since' || key === 'until' || key === 'limit') {
      if (!Number.isSafeInteger(value) || (value as number) < 0) return { error: `invalid: ${key} must be a non-negative integer` }
      f[key] = value as number
    } else if (key.length === 2 && key[0] === '#' && /[a-zA-Z]/.test(key[1])) {
      const letter = key[1]
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return { error: `invalid: ${key} must be a list of strings` }
      if (HEX_TAGS.has(letter) && !value.every(isHex64)) return { error: `invalid: ${key} must be 64-character lowercase hex values` }
      ;(f.tags ??= {})[letter] = value
    } else {
      return { error: `unsupported: filter key ${JSON.stringify(key).slice(0, 40)} is not supported` }
    }
  }
  return f
}

/** A filter that no event can match: an empty list, or since after until. */
export function isEmptyFilter(f: Filter): boolean {
  if (f.ids?.length === 0 || f.authors?.length === 0 || f.kinds?.length === 0) return true
  if (f.tags && Object.values(f.tags).some((v) => v.length === 0)) return true
  return f.since !== undefined && f.until !== undefined && f.since > f.until
}

export function matchFilter(f: Filter, e: NostrEvent): boolean {
  if (f.since !== undefined && e.created_at < f.since) return false
  if (f.until !== undefined && e.created_at > f.until) return false
  if (f.kinds && !f.kinds.includes(e.kind)) return false
  if (f.authors && !f.authors.includes(e.pubkey)) return false
  if (f.ids && !f.ids.includes(e.id)) return false
  if (f.tags) {
    for (const letter in f.tags) {
      const wanted = f.tags[letter]
      if (!e.tags.some((t) => t[0] === letter && t.length > 1 && wanted.includes(t[1]))) return false
    }
  }
  return true
}

export const matchAny = (filters: Filter[], e: NostrEvent): boolean => filters.some((f) => matchFilter(f, e))

/** Back to the wire form, e.g. to persist a subscription. */
export function toWire(f: Filter): Record<string, unknown> {
  const { tags, ...rest } = f
  const out: Record<string, unknown> = { ...rest }
  for (const letter in tags) out['#' + letter] = tags[letter]
  return out
}
