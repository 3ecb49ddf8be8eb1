/** NIP-09 deletion requests: what a kind 5 event may delete. Pure. */
import { isHex64, kindClass, type NostrEvent } from './event'

export const DELETION_KIND = 5

export interface DeletionTargets {
  /** Event ids; only events by the same author are deleted. */
  ids: string[]
  /** `kind:pubkey:d` addresses of the same author; versions up to the request's created_at go. */
  addresses: string[]
}

export function deletionTargets(e: NostrEvent): DeletionTargets {
  const ids: string[] = []
  const addresses: string[] = []
  for (const [name, value] of e.tags) {
    if (name === 'e' && isHex64(value)) ids.push(value)
    if (name === 'a' && typeof value === 'string') {
      const [kind, pubkey] = value.split(':', 2)
      const cls = kindClass(Number(kind))
      const ownAddress = pubkey === e.pubkey && /^\d+$/.test(kind) && (cls === 'replaceable' || cls === 'addressable')
      if (ownAddress) addresses.push(value)
    }
  }
  return { ids, addresses }
}
