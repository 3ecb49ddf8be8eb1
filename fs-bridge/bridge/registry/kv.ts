/**
 * The namespace registry in KV: where anything in the platform can look a namespace up (its
 * owner, mounts and bridge) without waking the bridge. Entries live 24 h and each use renews
 * them; the bridge's own table is the truth, consulted when KV has nothing.
 * Key `ns:<id>`, value JSON `{id, owner, mounts, created, updated, bridge}`.
 */
import type { NamespaceRecord } from './record'

export const REGISTRY_TTL = 86400
/** Uses renew an entry at most this often, so a busy namespace does not write KV per request. */
export const RENEW_AFTER = 3600

export type Registered = NamespaceRecord & { bridge: string }

const key = (id: string) => `ns:${id}`

export async function register(kv: KVNamespace, record: Registered): Promise<void> {
  await kv.put(key(record.id), JSON.stringify(record), { expirationTtl: REGISTRY_TTL })
}

export async function unregister(kv: KVNamespace, id: string): Promise<void> {
  await kv.delete(key(id))
}

/** The namespace from KV, else from `truth` (re-registered in KV when found); null when there is none. */
export async function resolve(kv: KVNamespace, id: string, truth: () => Promise<Registered | null>): Promise<Registered | null> {
  const cached = await kv.get<Registered>(key(id), 'json')
  if (cached) return cached
  const record = await truth()
  if (record) await register(kv, record)
  return record
}
