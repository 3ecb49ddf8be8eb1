/**
 * What RemoteFs reads out of NostrFs's files: whether a relay can carry requests now (`status`),
 * and whether the relays refused a request for good (`sent/<id>.json`). Pure.
 */
import { FsError, type FsErrorCode } from '../../fs/error'

export interface StatusFile {
  status?: string
  connections?: Record<string, { state?: string; authenticated?: boolean; error?: string }>
}

/**
 * up: a relay connection is open and authenticated (NIP-42). open: open, not (yet) authenticated;
 * a relay that never asks stays so. connecting: none open, one still trying. down: none will carry
 * anything now (`reason` says why).
 */
export type Connectivity = { state: 'up' | 'open' | 'connecting' } | { state: 'down'; reason: string }

export function connectivity(status: StatusFile): Connectivity {
  if (status.status === 'closed') return { state: 'down', reason: 'the Nostr transport is closed' }
  const connections = Object.entries(status.connections ?? {})
  if (connections.length === 0) return { state: 'down', reason: 'no relays to send through' }
  const states = connections.map(([, c]) => c)
  if (states.some((c) => c.state === 'open' && c.authenticated)) return { state: 'up' }
  if (states.some((c) => c.state === 'open')) return { state: 'open' }
  if (states.some((c) => c.state === 'connecting')) return { state: 'connecting' }
  const reasons = connections.map(([url, c]) => `${url}: ${c.error ?? c.state ?? 'not connected'}`)
  return { state: 'down', reason: `no relay connection (${reasons.join('; ')})` }
}

export interface SentFile {
  state?: string
  relays?: Record<string, { accepted?: boolean; message?: string } | { error?: string }>
}

/** Refusals NostrFs sends again later (outbox.ts): not final. */
const TRANSIENT = /^(auth-required|rate-limited):/
/** A relay's reason as a code; `duplicate:` with OK false is a replaceable event no newer than the one stored (NIP-01). */
const REASONS: Array<[RegExp, FsErrorCode]> = [[/too (long|large|big)/i, 'too-large'], [/^(restricted|blocked):/, 'permission-denied'], [/^duplicate:/, 'conflict']]

/**
 * The error a request ends with when every relay refused it for good (NostrFs keeps sending
 * otherwise); null while some relay may still take it.
 */
export function finalRefusal(sent: SentFile, path?: string): FsError | null {
  const answers = Object.values(sent.relays ?? {})
  if (sent.state !== 'refused' || answers.length === 0) return null
  const messages: string[] = []
  for (const a of answers) {
    if (!('accepted' in a) || a.accepted !== false || TRANSIENT.test(a.message ?? '')) return null
    messages.push(a.message ?? '')
  }
  const message = messages.join('; ')
  const code = REASONS.find(([reason]) => reason.test(message))?.[1] ?? 'unavailable'
  return new FsError(code, `the relay refused the request: ${message}`, path)
}

/** Seq numbers of a watch's notifications, dense from 1: what is new, repeated, or was missed. */
export class Sequence {
  private next = 1

  /** `missed`: notifications that never arrived before this one (0 when none). */
  accept(seq: number): { fresh: boolean; missed: number } {
    if (seq < this.next) return { fresh: false, missed: 0 }
    const missed = seq - this.next
    this.next = seq + 1
    return { fresh: true, missed }
  }
}
