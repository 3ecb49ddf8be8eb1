/**
 * nostr-tools relay pools with an injectable WebSocket (Node 20 has none built in), signing
 * NIP-42 AUTH with the caller's signer when a relay asks for it.
 */
import { AbstractSimplePool } from 'nostr-tools/abstract-pool'
import type { Filter } from 'nostr-tools/filter'
import { verifyEvent, type VerifiedEvent } from 'nostr-tools/pure'
import type { NostrEvent, Signer } from './signer'

/** A WebSocket class: the browser's, the runtime's, or `ws` in Node. */
export type WebSocketClass = unknown

export function createPool(options: { WebSocket?: WebSocketClass; signer?: Signer; reconnect?: boolean } = {}): AbstractSimplePool {
  const impl = options.WebSocket ?? (globalThis as { WebSocket?: unknown }).WebSocket
  if (!impl) throw new Error('no WebSocket implementation: pass one (in Node: `import { WebSocket } from "oanix-sdk/node"`)')
  const signer = options.signer
  return new AbstractSimplePool({
    verifyEvent,
    websocketImplementation: impl as typeof WebSocket,
    maxWaitForConnection: 5000,
    enableReconnect: options.reconnect ?? false,
    ...(signer ? { automaticallyAuth: () => (t) => signer.signEvent(t) as Promise<VerifiedEvent> } : {}),
  })
}

/** Publishes to every relay; resolves once one accepted, rejects with every relay's reason if none did. */
export async function publishToAny(pool: AbstractSimplePool, relays: string[], event: NostrEvent): Promise<void> {
  try {
    await Promise.any(pool.publish([...new Set(relays)], event))
  } catch (err) {
    const reasons = err instanceof AggregateError ? err.errors.map((e) => (e instanceof Error ? e.message : String(e))) : [String(err)]
    throw new Error(`no relay accepted event ${event.id}: ${reasons.join('; ')}`)
  }
}

/** Stored events matching any filter, from every relay, once each. */
export async function queryAll(pool: AbstractSimplePool, relays: string[], filters: Filter[], maxWait = 5000): Promise<NostrEvent[]> {
  const byId = new Map<string, NostrEvent>()
  await Promise.all(filters.map(async (f) => (await pool.querySync(relays, f, { maxWait })).forEach((e) => byId.set(e.id, e))))
  return [...byId.values()]
}
