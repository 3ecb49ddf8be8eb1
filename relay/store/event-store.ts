/** The relay's events in D1: batched durable writes, filter queries, counts and expiry. */
import { sql, type SQL } from 'drizzle-orm'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import type { NostrEvent } from '../protocol/event'
import { isEmptyFilter, type Filter } from '../protocol/filter'
import { planBatch, type KnownState, type Outcome, type WritePlan } from '../protocol/batch-plan'
import { addressOf, indexedTags } from '../protocol/tags'
import { countEvents, selectEvents } from './query'
import { deletedAddresses, deletedEvents, events, tags } from './schema'

// Drizzle builds the SQL from the schema; statements go to D1 directly, because drizzle's D1
// batch cannot carry raw SQL and every write here must be one D1 batch (one transaction).
const dialect = new SQLiteAsyncDialect()

const json = (v: unknown) => JSON.stringify(v)
const jsonList = (values: unknown[]) => sql`(SELECT value FROM json_each(${json(values)}))`

export class EventStore {
  constructor(private readonly d1: D1Database) {}

  private prepare(query: SQL): D1PreparedStatement {
    const { sql: text, params } = dialect.sqlToQuery(query)
    return this.d1.prepare(text).bind(...params)
  }

  private async all<T>(query: SQL): Promise<T[]> {
    return (await this.prepare(query).all<T>()).results
  }

  /**
   * Stores a batch of verified, non-ephemeral, canonical events in one transaction and says
   * what became of each. Nothing is reported stored before D1 has committed it.
   */
  async write(batch: NostrEvent[]): Promise<Outcome[]> {
    const { outcomes, plan } = planBatch(batch, await this.known(batch))
    await this.commit(plan)
    return outcomes
  }

  private async known(batch: NostrEvent[]): Promise<KnownState> {
    const ids = batch.map((e) => e.id)
    const addresses = [...new Set(batch.map(addressOf).filter((a): a is string => a !== null))]
    const [stored, deleted, deletedAt, heads] = (await this.d1.batch([
      this.prepare(sql`SELECT ${events.id} AS id FROM ${events} WHERE ${events.id} IN ${jsonList(ids)}`),
      this.prepare(
        sql`SELECT ${deletedEvents.id} AS id, ${deletedEvents.pubkey} AS pubkey FROM ${deletedEvents} WHERE ${deletedEvents.id} IN ${jsonList(ids)}`,
      ),
      this.prepare(
        sql`SELECT ${deletedAddresses.address} AS address, ${deletedAddresses.until} AS until FROM ${deletedAddresses} WHERE ${deletedAddresses.address} IN ${jsonList(addresses)}`,
      ),
      this.prepare(
        sql`SELECT ${events.address} AS address, ${events.id} AS id, ${events.createdAt} AS created_at FROM ${events} WHERE ${events.address} IN ${jsonList(addresses)}`,
      ),
    ])).map((r) => r.results) as [
      Array<{ id: string }>,
      Array<{ id: string; pubkey: string }>,
      Array<{ address: string; until: number }>,
      Array<{ address: string; id: string; created_at: number }>,
    ]
    const deletedIds = new Map<string, string>()
    for (const row of deleted) if (batch.some((e) => e.id === row.id && e.pubkey === row.pubkey)) deletedIds.set(row.id, row.pubkey)
    return {
      storedIds: new Set(stored.map((r) => r.id)),
      deletedIds,
      deletedAddresses: new Map(deletedAt.map((r) => [r.address, r.until])),
      heads: new Map(heads.map((r) => [r.address, { id: r.id, created_at: r.created_at }])),
    }
  }

  private async commit(plan: WritePlan): Promise<void> {
    const rows = plan.insert.map(({ event, address, expiresAt }) => [event.id, event.pubkey, event.kind, event.created_at, address, expiresAt, JSON.stringify(event)])
    const tagRows = plan.insert.flatMap(({ event }) => indexedTags(event).map(([name, value]) => [event.id, name, value, event.created_at]))
    // Tag rows go with their events through ON DELETE CASCADE.
    await this.d1.batch([
      this.prepare(sql`DELETE FROM ${events} WHERE ${events.id} IN ${jsonList(plan.replaced)}`),
      this.prepare(sql`DELETE FROM ${events} WHERE ${events.kind} != 5 AND ${events.id} IN (SELECT value->>0 FROM json_each(${json(plan.deleteIds)}))
        AND ${events.pubkey} = (SELECT value->>1 FROM json_each(${json(plan.deleteIds)}) WHERE value->>0 = ${events.id})`),
      this.prepare(sql`DELETE FROM ${events} WHERE ${events.address} IN (SELECT value->>0 FROM json_each(${json(plan.deleteAddresses)}))
        AND ${events.createdAt} <= (SELECT MAX(value->>1) FROM json_each(${json(plan.deleteAddresses)}) WHERE value->>0 = ${events.address})`),
      this.prepare(sql`INSERT INTO ${deletedEvents} (id, pubkey) SELECT value->>0, value->>1 FROM json_each(${json(plan.deleteIds)}) WHERE true ON CONFLICT DO NOTHING`),
      this.prepare(sql`INSERT INTO ${deletedAddresses} (address, until) SELECT value->>0, value->>1 FROM json_each(${json(plan.deleteAddresses)}) WHERE true
        ON CONFLICT (address) DO UPDATE SET until = MAX(until, excluded.until)`),
      this.prepare(sql`INSERT INTO ${events} (id, pubkey, kind, created_at, address, expires_at, raw)
        SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 FROM json_each(${json(rows)}) WHERE true ON CONFLICT DO NOTHING`),
      this.prepare(sql`INSERT INTO ${tags} (event_id, name, value, created_at)
        SELECT value->>0, value->>1, value->>2, value->>3 FROM json_each(${json(tagRows)}) WHERE true ON CONFLICT DO NOTHING`),
    ])
  }

  /** Raw event JSON matching the filter, newest first (ties by lowest id). */
  async query(filter: Filter, limit: number, now: number): Promise<string[]> {
    if (limit === 0 || isEmptyFilter(filter)) return []
    const rows = await this.all<{ raw: string }>(selectEvents(filter, limit, now))
    return rows.map((r) => r.raw)
  }

  async count(filters: Filter[], now: number): Promise<number> {
    const live = filters.filter((f) => !isEmptyFilter(f))
    if (live.length === 0) return 0
    const [row] = await this.all<{ n: number }>(countEvents(live, now))
    return row.n
  }

  /** Deletes expired events; returns the next expiration still ahead, if any. */
  async purgeExpired(now: number): Promise<number | null> {
    const [, next] = await this.d1.batch([
      this.prepare(sql`DELETE FROM ${events} WHERE ${events.expiresAt} IS NOT NULL AND ${events.expiresAt} <= ${now}`),
      this.prepare(sql`SELECT MIN(${events.expiresAt}) AS t FROM ${events} WHERE ${events.expiresAt} > ${now}`),
    ])
    return (next.results[0] as { t: number | null } | undefined)?.t ?? null
  }
}
