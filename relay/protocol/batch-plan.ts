/**
 * Decides what a batch of verified events does to storage: which are stored, which are
 * duplicates, which lose to a newer version or a deletion, and what they delete. Pure: the
 * store reads `KnownState` for the batch, calls this, and writes the plan in one transaction.
 */
import type { NostrEvent } from './event'
import { DELETION_KIND, deletionTargets } from './deletion'
import { addressOf, expirationOf, supersedes } from './tags'

export interface KnownState {
  /** Ids of the batch already stored. */
  storedIds: Set<string>
  /** Deleted ids of the batch, with the pubkey that deleted them. */
  deletedIds: Map<string, string>
  /** Address tombstones: versions created at or before the value are deleted. */
  deletedAddresses: Map<string, number>
  /** The stored version at each address the batch touches. */
  heads: Map<string, { id: string; created_at: number }>
}

export type Outcome =
  | { stored: true; duplicate: boolean }
  | { stored: false; reason: string }

export interface StoredEvent {
  event: NostrEvent
  address: string | null
  expiresAt: number | null
}

export interface WritePlan {
  insert: StoredEvent[]
  /** Stored versions superseded by a newer one in the batch. */
  replaced: string[]
  /** NIP-09 `e` deletions: delete `id` if its author is `pubkey` (and it is not itself a deletion). */
  deleteIds: Array<[id: string, pubkey: string]>
  /** NIP-09 `a` deletions: delete versions at `address` created at or before `until`. */
  deleteAddresses: Array<[address: string, until: number]>
}

export const REFUSED_OLDER = 'duplicate: a newer version of this replaceable event is stored'
export const REFUSED_DELETED = 'blocked: this event was deleted by its author'

export function planBatch(events: NostrEvent[], known: KnownState): { outcomes: Outcome[]; plan: WritePlan } {
  const plan: WritePlan = { insert: [], replaced: [], deleteIds: [], deleteAddresses: [] }
  const outcomes: Outcome[] = []
  const seen = new Set(known.storedIds)
  const deletedIds = new Map(known.deletedIds)
  const deletedAddresses = new Map(known.deletedAddresses)
  const heads = new Map(known.heads)
  const pending = new Map<string, StoredEvent>() // inserted by this batch, by id

  const unstage = (id: string) => {
    if (pending.delete(id)) plan.insert = plan.insert.filter((s) => s.event.id !== id)
    else plan.replaced.push(id)
  }

  for (const event of events) {
    if (seen.has(event.id)) {
      outcomes.push({ stored: true, duplicate: true })
      continue
    }
    const address = addressOf(event)
    const deletedBy = deletedIds.get(event.id)
    const addressDeletedUntil = address === null ? undefined : deletedAddresses.get(address)
    const isDeletion = event.kind === DELETION_KIND
    if (!isDeletion && (deletedBy === event.pubkey || (addressDeletedUntil !== undefined && event.created_at <= addressDeletedUntil))) {
      outcomes.push({ stored: false, reason: REFUSED_DELETED })
      continue
    }
    if (address !== null) {
      const head = heads.get(address)
      if (head && !supersedes(event, head)) {
        outcomes.push({ stored: false, reason: REFUSED_OLDER })
        continue
      }
      if (head) unstage(head.id)
      heads.set(address, event)
    }
    if (isDeletion) applyDeletion(event)
    const staged: StoredEvent = { event, address, expiresAt: expirationOf(event) }
    plan.insert.push(staged)
    pending.set(event.id, staged)
    seen.add(event.id)
    outcomes.push({ stored: true, duplicate: false })
  }
  return { outcomes, plan }

  function applyDeletion(deletion: NostrEvent) {
    const targets = deletionTargets(deletion)
    for (const id of targets.ids) {
      deletedIds.set(id, deletion.pubkey)
      plan.deleteIds.push([id, deletion.pubkey])
      const staged = pending.get(id)
      if (staged && staged.event.pubkey === deletion.pubkey && staged.event.kind !== DELETION_KIND) {
        pending.delete(id)
        plan.insert = plan.insert.filter((s) => s.event.id !== id)
      }
    }
    for (const address of targets.addresses) {
      const until = Math.max(deletion.created_at, deletedAddresses.get(address) ?? 0)
      deletedAddresses.set(address, until)
      plan.deleteAddresses.push([address, until])
      for (const staged of [...pending.values()]) {
        if (staged.address === address && staged.event.created_at <= until) {
          pending.delete(staged.event.id)
          plan.insert = plan.insert.filter((s) => s.event.id !== staged.event.id)
        }
      }
      const head = heads.get(address)
      if (head && head.created_at <= until) heads.delete(address)
    }
  }
}

