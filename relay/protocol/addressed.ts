/**
 * Kinds delivered only to the authenticated (NIP-42) pubkeys they are `p`-tagged to: fs-bridge
 * requests (to the bridge), responses and watch notifications (to the caller). They are ephemeral,
 * so this fan-out rule is all that keeps them from other subscribers. Pure.
 */
import { NOTIFICATION_KIND, REQUEST_KIND, RESPONSE_KIND } from '../../sdk/services/remote/protocol'
import type { NostrEvent } from './event'

export const ADDRESSED_KINDS: ReadonlySet<number> = new Set([REQUEST_KIND, RESPONSE_KIND, NOTIFICATION_KIND])

export const isAddressed = (event: Pick<NostrEvent, 'kind'>): boolean => ADDRESSED_KINDS.has(event.kind)

/** Whether a connection authenticated as `authed` may receive `event`. */
export function mayReceive(event: Pick<NostrEvent, 'kind' | 'tags'>, authed: readonly string[]): boolean {
  if (!isAddressed(event)) return true
  return event.tags.some((t) => t[0] === 'p' && authed.includes(t[1]))
}
