/** How the console writes keys, times, durations, shares and prices. Pure. */
import { npubEncode } from 'nostr-tools/nip19'

/** A pubkey as a shortened npub: recognisable, and what people paste elsewhere. */
export function shortKey(pubkey: string): string {
  if (!/^[0-9a-f]{64}$/.test(pubkey)) return pubkey
  const npub = npubEncode(pubkey)
  return `${npub.slice(0, 10)}…${npub.slice(-6)}`
}

/** A duration in ms, to the precision a person reads: 850 ms, 1.2 s, 2 min 5 s. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`
  const s = Math.round(ms / 1000)
  const [big, small] = s < 3600 ? [`${Math.floor(s / 60)} min`, `${s % 60} s`] : [`${Math.floor(s / 3600)} h`, `${Math.floor((s % 3600) / 60)} min`]
  return small.startsWith('0 ') ? big : `${big} ${small}`
}

/** How long ago `at` (ms) was, seen from `now` (ms). */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000))
  if (s < 5) return 'just now'
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86400)} d ago`
}

export const percent = (share: number | null | undefined): string =>
  share === null || share === undefined || !Number.isFinite(share) ? '—' : `${Math.round(share * 1000) / 10}%`

/** A price in millisats (NIP-90 amounts), in sats when it is a whole number of them. */
export function msats(amount: number | null | undefined): string {
  if (amount === null || amount === undefined) return 'not stated'
  if (amount === 0) return 'free'
  return amount % 1000 === 0 ? `${(amount / 1000).toLocaleString('en')} sats` : `${amount.toLocaleString('en')} msats`
}

/** A bucket width in ms as a phrase: "10 s", "5 min", "6 h", "1 d". */
export function span(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`
  if (ms < 3600_000) return `${ms / 60_000} min`
  if (ms < 86400_000) return `${ms / 3600_000} h`
  return `${ms / 86400_000} d`
}

/** An event id cut to its first characters, enough to tell jobs apart on a page. */
export const shortId = (id: string) => `${id.slice(0, 8)}…`
