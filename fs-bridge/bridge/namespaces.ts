/**
 * The namespaces the bridge serves, built on first use and kept built (a `mem` mount lives as long
 * as the bridge does). Requests to one namespace run one at a time, so a conditional write's
 * check and its write are one step for every writer that goes through the bridge.
 */
import type { Namespace } from '../../sdk/namespace'
import type { WireError } from '../../sdk/services/remote/protocol'
import type { Loaded } from './handler'
import { refusal } from './protocol/errors'
import { checkMounts, checkNamespaceId, type NamespaceRecord } from './registry/record'
import { register, RENEW_AFTER, unregister, type Registered } from './registry/kv'
import type { NamespaceTable } from './registry/table'

export interface LoadedNamespace extends Loaded {
  ns: Namespace
}

export interface NamespacesOptions {
  table: NamespaceTable
  build(record: NamespaceRecord): Namespace
  knownService(spec: string): boolean
  kv: KVNamespace | undefined
  bridge(): string
  /** Keeps the object alive for a background task. */
  background(task: Promise<unknown>): void
}

function serializer(): Loaded['serial'] {
  let tail: Promise<unknown> = Promise.resolve()
  return (task) => {
    const run = tail.then(task)
    tail = run.catch(() => {})
    return run
  }
}

export class Namespaces {
  private readonly loaded = new Map<string, LoadedNamespace>()
  private readonly renewed = new Map<string, number>()

  constructor(private readonly o: NamespacesOptions) {}

  record(id: string): NamespaceRecord | null {
    return this.o.table.get(id)
  }

  registered(id: string): Registered | null {
    const record = this.o.table.get(id)
    return record && { ...record, bridge: this.o.bridge() }
  }

  /** The namespace, built if needed; each use renews its registry entry now and then. */
  get(id: string): LoadedNamespace | null {
    let loaded = this.loaded.get(id)
    if (!loaded) {
      const record = this.o.table.get(id)
      if (!record) return null
      loaded = { record, ns: this.o.build(record), serial: serializer() }
      this.loaded.set(id, loaded)
    }
    void this.renew(loaded.record)
    return loaded
  }

  /** Writes the registry entry when it is due (or `force`d); the write runs in the background unless awaited. */
  private renew(record: NamespaceRecord, force = false): Promise<void> {
    const now = Date.now()
    if (!this.o.kv || (!force && now - (this.renewed.get(record.id) ?? 0) < RENEW_AFTER * 1000)) return Promise.resolve()
    this.renewed.set(record.id, now)
    const write = register(this.o.kv, { ...record, bridge: this.o.bridge() }).catch((err) => console.error('fs-bridge: registry write failed', err))
    this.o.background(write)
    return write
  }

  /**
   * Creates or replaces `id` for `owner`. Replacing with other mounts rebuilds it (a `mem` mount
   * starts empty); `changed` says so, for the caller to end the namespace's watches.
   */
  async put(owner: string, id: string, rawMounts: unknown, now: number): Promise<{ record: NamespaceRecord; changed: boolean } | { error: WireError }> {
    const badId = checkNamespaceId(id)
    if (badId) return { error: badId }
    const checked = checkMounts(rawMounts, this.o.knownService)
    if ('error' in checked) return checked
    const existing = this.o.table.get(id)
    if (existing && existing.owner !== owner) return { error: refusal('EACCES', `namespace ${id} belongs to another pubkey`) }
    const changed = JSON.stringify(existing?.mounts) !== JSON.stringify(checked.mounts)
    const record: NamespaceRecord = { id, owner, mounts: checked.mounts, created: existing?.created ?? now, updated: now }
    this.o.table.put(record)
    if (changed) this.loaded.delete(id)
    else if (this.loaded.has(id)) this.loaded.get(id)!.record = record
    await this.renew(record, true)
    return { record, changed: changed && existing !== null }
  }

  async delete(owner: string, id: string): Promise<WireError | null> {
    const existing = this.o.table.get(id)
    if (!existing || existing.owner !== owner) return refusal('EACCES', `namespace ${id} does not exist or is not yours`)
    this.o.table.delete(id)
    this.loaded.delete(id)
    this.renewed.delete(id)
    if (this.o.kv) await unregister(this.o.kv, id)
    return null
  }
}
