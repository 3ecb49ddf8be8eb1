/**
 * The outbox and what relays said about it. A signed event waits in the outbox until some relay
 * accepts it (`OK` true); a refusal or a failed send is recorded and the event stays, so nothing
 * is lost. A relay is sent an event again until it accepts it or refuses it for good (refusals
 * saying `auth-required:` or `rate-limited:` are not for good). No I/O.
 */
import type { NostrEvent } from '../../nostr/signer'

/** A relay's `OK` answer, or why no answer came (a failed send, retried on the next connection). */
export type RelayAnswer = { accepted: boolean; message: string; at: number } | { error: string; at: number }

/** accepted: some relay took it; refused: none took it and some said no; pending: no relay has answered yet. */
export type DeliveryState = 'pending' | 'accepted' | 'refused'

export interface SentRecord {
  id: string
  kind: number
  state: DeliveryState
  /** By relay URL. */
  relays: Record<string, RelayAnswer>
}

export interface OutboxChange {
  /** The sent record was new. */
  created: boolean
  /** The event left the outbox (it was accepted). */
  left: boolean
  /** Sent records dropped to stay within the limit. */
  evicted: string[]
}

const isOk = (a: RelayAnswer | undefined): a is Extract<RelayAnswer, { accepted: boolean }> => a !== undefined && 'accepted' in a
const TRANSIENT = /^(auth-required|rate-limited):/
const isFinal = (a: RelayAnswer | undefined) => isOk(a) && (a.accepted || !TRANSIENT.test(a.message))

export class Outbox {
  private readonly queued = new Map<string, NostrEvent>()
  private readonly records = new Map<string, SentRecord>()
  private readonly inFlight = new Map<string, Set<string>>()

  /** `sentLimit`: sent records kept for events no longer queued (records of queued events always stay). */
  constructor(readonly sentLimit: number) {
    if (!Number.isSafeInteger(sentLimit) || sentLimit < 1) throw new RangeError('the sent limit must be a positive integer')
  }

  queue(event: NostrEvent): void {
    this.queued.set(event.id, event)
  }

  /** Takes an event out of the outbox unsent (its sent record, if any, stays). */
  withdraw(id: string): boolean {
    return this.queued.delete(id)
  }

  /** Queued events `url` has not answered for good and is not being sent now; they count as being sent from here. */
  take(url: string): NostrEvent[] {
    const due: NostrEvent[] = []
    for (const event of this.queued.values()) {
      const sending = this.inFlight.get(event.id) ?? new Set<string>()
      if (sending.has(url) || isFinal(this.records.get(event.id)?.relays[url])) continue
      sending.add(url)
      this.inFlight.set(event.id, sending)
      due.push(event)
    }
    return due
  }

  /** A relay's `OK`; undefined when the id is not one of ours. */
  answer(url: string, id: string, accepted: boolean, message: string, at: number): OutboxChange | undefined {
    return this.settle(url, id, { accepted, message, at })
  }

  /** A send that got no `OK` (timeout, lost connection); an `OK` already in is kept. */
  fail(url: string, id: string, error: string, at: number): OutboxChange | undefined {
    if (isOk(this.records.get(id)?.relays[url])) {
      this.settled(url, id)
      return undefined
    }
    return this.settle(url, id, { error, at })
  }

  private settled(url: string, id: string): void {
    const sending = this.inFlight.get(id)
    sending?.delete(url)
    if (sending?.size === 0) this.inFlight.delete(id)
  }

  private settle(url: string, id: string, answer: RelayAnswer): OutboxChange | undefined {
    this.settled(url, id)
    const event = this.queued.get(id)
    let record = this.records.get(id)
    if (!event && !record) return undefined
    const created = !record
    record ??= { id, kind: event!.kind, state: 'pending', relays: {} }
    record.relays[url] = answer
    const answers = Object.values(record.relays).filter(isOk)
    record.state = answers.some((a) => a.accepted) ? 'accepted' : answers.length > 0 ? 'refused' : 'pending'
    this.records.set(id, record)
    const left = record.state === 'accepted' && this.queued.delete(id)
    return { created, left, evicted: this.evict() }
  }

  private evict(): string[] {
    const evicted: string[] = []
    let excess = [...this.records.keys()].filter((id) => !this.queued.has(id)).length - this.sentLimit
    for (const id of this.records.keys()) {
      if (excess <= 0) break
      if (this.queued.has(id)) continue
      this.records.delete(id)
      evicted.push(id)
      excess--
    }
    return evicted
  }

  get(id: string): NostrEvent | undefined {
    return this.queued.get(id)
  }

  ids(): string[] {
    return [...this.queued.keys()]
  }

  record(id: string): SentRecord | undefined {
    return this.records.get(id)
  }

  recordIds(): string[] {
    return [...this.records.keys()]
  }

  get size(): number {
    return this.queued.size
  }

  get sentSize(): number {
    return this.records.size
  }
}
