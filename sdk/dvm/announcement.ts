/**
 * NIP-89 announcements of DVMs (kind 31990) and heartbeats (kind 11998): writing them for a
 * definition, reading them for the registry and for customers looking for a DVM. Pure.
 */
import type { EventTemplate, NostrEvent } from '../nostr/signer'
import { dvmId } from './define'
import { HANDLER_KIND, HEARTBEAT_KIND } from './kinds'
import type { DvmDefinition } from './types'

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** The announcement: a `d` tag, one `k` tag per kind, and the info (with the price) as content. */
export function announcementTemplate(def: DvmDefinition, createdAt = nowSeconds()): EventTemplate {
  const content = { ...def.info, price: def.price ?? 0, encryptionSupported: true }
  return { kind: HANDLER_KIND, created_at: createdAt, tags: [['d', dvmId(def)], ...def.kinds.map((k) => ['k', String(k)])], content: JSON.stringify(content) }
}

/** A sign of life valid for `ttl` seconds (NIP-40 `expiration`); relays count it for liveness. */
export function heartbeatTemplate(ttl: number, createdAt = nowSeconds()): EventTemplate {
  return { kind: HEARTBEAT_KIND, created_at: createdAt, tags: [['expiration', String(createdAt + ttl)]], content: '' }
}

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
  const tagValue = (name: string) => e.tags.find((t) => t[0] === name)?.[1]
  return {
    pubkey: e.pubkey,
    d: tagValue('d') ?? '',
    eventId: e.id,
    kinds: [...new Set(kinds)],
    name: typeof metadata.name === 'string' ? metadata.name : '',
    about: typeof metadata.about === 'string' ? metadata.about : '',
    price: priceOf(tagValue('amount')) ?? priceOf(metadata.price) ?? priceOf(metadata.amount),
    metadata,
    announcedAt: e.created_at,
  }
}

/** Readable announcements, the latest per (pubkey, d) as for any addressable event (ties: lower id). */
export function latestAnnouncements(events: NostrEvent[]): DvmAnnouncement[] {
  const latest = new Map<string, NostrEvent>()
  for (const e of events) {
    if (e.kind !== HANDLER_KIND) continue
    const key = `${e.pubkey}:${e.tags.find((t) => t[0] === 'd')?.[1] ?? ''}`
    const held = latest.get(key)
    if (!held || e.created_at > held.created_at || (e.created_at === held.created_at && e.id < held.id)) latest.set(key, e)
  }
  const out: DvmAnnouncement[] = []
  for (const e of latest.values()) {
    const a = readAnnouncement(e)
    if (!('error' in a)) out.push(a)
  }
  return out
}
