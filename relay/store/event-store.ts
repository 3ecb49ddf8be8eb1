/** The relay's events in D1: batched durable writes, filter queries, counts and expiry. */
import { sql } from 'drizzle-orm'
import { kindClass, type NostrEvent } from '../protocol/event'
import { isEmptyFilter, type Filter } from '../protocol/filter'
import { planBatch, REFUSED_DELETED, type KnownState, type Outcome, type WritePlan } from '../protocol/batch-plan'
import { DELETION_KIND } from '../protocol/deletion'
import { addressOf, expirationOf, indexedTags } from '../protocol/tags'
import { D1Runner } from './d1'
import { countEvents, selectEvents } from './query'
import { deletedAddresses, deletedEvents, events, tags } from './schema'

/** Regular events other than deletions replace and delete nothing. */
const replacesNothing = (e: NostrEvent) => kindClass(e.kind) === 'regular' && e.kind !== DELETION_KIND

const json = (v: unknown) => JSON.stringify(v)
const jsonList = (values: unknown[]) => sql`(SELECT value FROM json_each(${json(values)}))`

export class EventStore {
  private readonly db: D1Runner

  constructor(d1: D1Database) {
    this.db = new D1Runner(d1)
  }

  /**
   * Stores a batch of verified, non-ephemeral, canonical events in one transaction and says
   * what became of each. Nothing is reported stored before D1 has committed it.
   */
  async write(batch: NostrEvent[]): Promise<{ outcomes: Outcome[]; removed: string[] }> {
    if (batch.every(replacesNothing)) return { outcomes: await this.writeRegular(batch), removed: [] }
    const { outcomes, plan } = planBatch(batch, await this.known(batch))
    const removed = await this.commit(plan)
    return { outcomes, removed }
  }

  /**
   * Regular events that delete nothing need no read first: one transaction inserts those that
   * are neither stored nor tombstoned, and says which it inserted. Only when some were not
   * does a second read tell a deleted event from a duplicate. The same rules as planBatch,
   * in one D1 round trip instead of two.
   */
  private async writeRegular(batch: NostrEvent[]): Promise<Outcome[]> {
    const rows = batch.map((e) => [e.id, e.pubkey, e.kind, e.created_at, expirationOf(e), JSON.stringify(e)])
    const tagRows = batch.flatMap((e) => indexedTags(e).map(([name, value]) => [e.id, name, value, e.created_at]))
    const [inserted] = await this.db.batch<[Array<{ id: string }>, unknown[]]>([
      sql`INSERT INTO ${events} (id, pubkey, kind, created_at, expires_at, raw)
        SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5 FROM json_each(${json(rows)})
        WHERE NOT EXISTS (SELECT 1 FROM ${deletedEvents} d WHERE d.id = value->>0 AND d.pubkey = value->>1)
        ON CONFLICT DO NOTHING RETURNING id`,
      sql`INSERT INTO ${tags} (event_id, name, value, created_at)
        SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(${json(tagRows)})
        WHERE EXISTS (SELECT 1 FROM ${events} e WHERE e.id = value->>0) ON CONFLICT DO NOTHING`,
    ])
    const fresh = new Set(inserted.map((r) => r.id))
    const others = batch.filter((e) => !fresh.has(e.id))
    const deleted = new Set<string>()
    if (others.length > 0) {
      const rows = await this.db.all<{ id: string; pubkey: string }>(
        sql`SELECT id, pubkey FROM ${deletedEvents} WHERE id IN ${jsonList(others.map((e) => e.id))}`,
      )
      for (const r of rows) if (others.some((e) => e.id === r.id && e.pubkey === r.pubkey)) deleted.add(r.id)
    }
    return batch.map((e): Outcome => {
      if (fresh.delete(e.id)) return { stored: true, duplicate: false }
      return deleted.has(e.id) ? { stored: false, reason: REFUSED_DELETED } : { stored: true, duplicate: true }
    })
  }

  private async known(batch: NostrEvent[]): Promise<KnownState> {
    const ids = batch.map((e) => e.id)
    const addresses = [...new Set(batch.map(addressOf).filter((a): a is string => a !== null))]
    const [stored, deleted, deletedAt, heads] = await this.db.batch<[
      Array<{ id: string }>,
      Array<{ id: string; pubkey: string }>,
      Array<{ address: string; until: number }>,
      Array<{ address: string; id: string; created_at: number }>,
    ]>([
      sql`SELECT ${events.id} AS id FROM ${events} WHERE ${events.id} IN ${jsonList(ids)}`,
      sql`SELECT ${deletedEvents.id} AS id, ${deletedEvents.pubkey} AS pubkey FROM ${deletedEvents} WHERE ${deletedEvents.id} IN ${jsonList(ids)}`,
      sql`SELECT ${deletedAddresses.address} AS address, ${deletedAddresses.until} AS until FROM ${deletedAddresses} WHERE ${deletedAddresses.address} IN ${jsonList(addresses)}`,
      sql`SELECT ${events.address} AS address, ${events.id} AS id, ${events.createdAt} AS created_at FROM ${events} WHERE ${events.address} IN ${jsonList(addresses)}`,
    ])
    const deletedIds = new Map<string, string>()
    for (const row of deleted) if (batch.some((e) => e.id === row.id && e.pubkey === row.pubkey)) deletedIds.set(row.id, row.pubkey)
    return {
      storedIds: new Set(stored.map((r) => r.id)),
      deletedIds,
      deletedAddresses: new Map(deletedAt.map((r) => [r.address, r.until])),
      heads: new Map(heads.map((r) => [r.address, { id: r.id, created_at: r.created_at }])),
    }
  }

  /** Writes the plan in one transaction; returns the ids of stored events it removed. */
  private async commit(plan: WritePlan): Promise<string[]> {
    const rows = plan.insert.map(({ event, address, expiresAt }) => [event.id, event.pubkey, event.kind, event.created_at, address, expiresAt, JSON.stringify(event)])
    const tagRows = plan.insert.flatMap(({ event }) => indexedTags(event).map(([name, value]) => [event.id, name, value, event.created_at]))
    // Tag rows go with their events through ON DELETE CASCADE.
    const results = await this.db.batch<Array<Array<{ id: string }>>>([
      sql`DELETE FROM ${events} WHERE ${events.id} IN ${jsonList(plan.replaced)} RETURNING id`,
      sql`DELETE FROM ${events} WHERE ${events.kind} != 5 AND ${events.id} IN (SELECT value->>0 FROM json_each(${json(plan.deleteIds)}))
        AND ${events.pubkey} = (SELECT value->>1 FROM json_each(${json(plan.deleteIds)}) WHERE value->>0 = ${events.id}) RETURNING id`,
      sql`DELETE FROM ${events} WHERE ${events.address} IN (SELECT value->>0 FROM json_each(${json(plan.deleteAddresses)}))
        AND ${events.createdAt} <= (SELECT MAX(value->>1) FROM json_each(${json(plan.deleteAddresses)}) WHERE value->>0 = ${events.address}) RETURNING id`,
      sql`INSERT INTO ${deletedEvents} (id, pubkey) SELECT value->>0, value->>1 FROM json_each(${json(plan.deleteIds)}) WHERE true ON CONFLICT DO NOTHING`,
      sql`INSERT INTO ${deletedAddresses} (address, until) SELECT value->>0, value->>1 FROM json_each(${json(plan.deleteAddresses)}) WHERE true
        ON CONFLICT (address) DO UPDATE SET until = MAX(until, excluded.until)`,
      sql`INSERT INTO ${events} (id, pubkey, kind, created_at, address, expires_at, raw)
        SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM json_each(${json(rows)}) WHERE true ON CONFLICT DO NOTHING`,
      sql`INSERT INTO ${tags} (event_id, name, value, created_at)
        SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(${json(tagRows)}) WHERE true ON CONFLICT DO NOTHING`,
    ])
    return results.slice(0, 3).flat().map((r) => r.id)
  }

  /** Raw event JSON matching the filter, newest first (ties by lowest id). */
  async query(filter: Filter, limit: number, now: number): Promise<string[]> {
    if (limit === 0 || isEmptyFilter(filter)) return []
    const rows = await this.db.all<{ raw: string }>(selectEvents(filter, limit, now))
    return rows.map((r) => r.raw)
  }

  async count(filters: Filter[], now: number): Promise<number> {
    const live = filters.filter((f) => !isEmptyFilter(f))
    if (live.length === 0) return 0
    const [row] = await this.db.all<{ n: number }>(countEvents(live, now))
    return row.n
  }

  /** Deletes expired events; returns the next expiration still ahead, if any. */
  async purgeExpired(now: number): Promise<number | null> {
    const [, next] = await this.db.batch<[unknown[], Array<{ t: number | null }>]>([
      sql`DELETE FROM ${events} WHERE ${events.expiresAt} IS NOT NULL AND ${events.expiresAt} <= ${now}`,
      sql`SELECT MIN(${events.expiresAt}) AS t FROM ${events} WHERE ${events.expiresAt} > ${now}`,
    ])
    return next[0]?.t ?? null
  }
}
