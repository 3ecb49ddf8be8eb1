/** NIP-89 handler announcements (kind 31990) as DVM registry entries. Pure. */
import type { NostrEvent } from '../protocol/event'
import { tagValue } from '../protocol/tags'

export interface DvmAnnouncement {
  pubkey: string
  d: string
  eventId: string
  kinds: number[]
  name: string
  about: string
  /** Millisats per job, from an `amount` tag or a numeric `price`/`amount` in the metadata. */
  price: number | null
  metadata: Record<string, unknown>
  announcedAt: number
}

export function readAnnouncement(e: NostrEvent): DvmAnnouncement | { error: string } {
  const kinds = e.tags.filter((t) => t[0] === 'k' && /^\d+$/.test(t[1] ?? '')).map((t) => Number(t[1]))
  if (kinds.length === 0) return { error: 'a handler announcement needs k tags' }
  let metadata: Record<string, unknown> = {}
  if (e.content.trim() !== '') {
    try {
      const parsed = JSON.parse(e.content)
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) metadata = parsed
    } catch {
      // NIP-89 content is optional metadata; unreadable content is no reason to refuse the DVM
    }
  }
  const priceOf = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null)
  return {
    pubkey: e.pubkey,
    d: tagValue(e, 'd') ?? '',
    eventId: e.id,
    kinds: [...new Set(kinds)],
    name: typeof metadata.name === 'string' ? metadata.name : '',
    about: typeof metadata.about === 'string' ? metadata.about : '',
    price: priceOf(tagValue(e, 'amount')) ?? priceOf(metadata.price) ?? priceOf(metadata.amount),
    metadata,
    announcedAt: e.created_at,
  }
}
