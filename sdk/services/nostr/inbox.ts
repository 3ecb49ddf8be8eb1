/**
 * The inbox: events in arrival order, each signature-checked before it is kept, each kept once,
 * at most `limit` of them (the oldest leaves first). No I/O.
 */
import { verifyEvent } from 'nostr-tools/pure'
import type { NostrEvent } from '../../nostr/signer'

export type InboxOutcome = { added: NostrEvent; evicted: string[] } | { rejected: 'invalid' | 'duplicate' }

/** Ids remembered after eviction, as a multiple of the limit, so a replayed old event is not new again. */
const SEEN_FACTOR = 4

export class Inbox {
  private readonly events = new Map<string, NostrEvent>()
  private readonly seen = new Set<string>()
  /** Events refused because they did not verify. */
  invalidCount = 0

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('the inbox limit must be a positive integer')
  }

  /** Whether an event with this id was kept (now or recently): such an event need not be checked again. */
  has(id: string): boolean {
    return this.seen.has(id)
  }

  add(event: NostrEvent): InboxOutcome {
    if (typeof event?.id === 'string' && this.seen.has(event.id)) return { rejected: 'duplicate' }
    // verifyEvent checks the shape, the id hash and the signature (and caches the answer on the object).
    if (!verifyEvent(event)) {
      this.invalidCount++
      return { rejected: 'invalid' }
    }
    const added = plain(event)
    this.events.set(added.id, added)
    this.remember(added.id)
    const evicted: string[] = []
    for (const id of this.events.keys()) {
      if (this.events.size <= this.limit) break
      this.events.delete(id)
      evicted.push(id)
    }
    return { added, evicted }
  }

  private remember(id: string): void {
    this.seen.add(id)
    for (const old of this.seen) {
      if (this.seen.size <= this.limit * SEEN_FACTOR) break
      this.seen.delete(old)
    }
  }

  get(id: string): NostrEvent | undefined {
    return this.events.get(id)
  }

  /** Ids, oldest arrival first. */
  ids(): string[] {
    return [...this.events.keys()]
  }

  get size(): number {
    return this.events.size
  }
}

/** The event's NIP-01 fields only, as it travels. */
export function plain(e: NostrEvent): NostrEvent {
  return { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content, sig: e.sig }
}
