/**
 * NIP-01 filters as SQL over the events and tags tables. Lists travel as one JSON parameter
 * read with json_each, so a filter of any size binds a handful of parameters and never meets
 * D1's limit of 100 per statement, with no chunking that could reorder or double-count.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import type { Filter } from '../protocol/filter'
import { events, tags } from './schema'

/**
 * `column = ?` for one value, so an index ending in (created_at DESC, id) yields rows already
 * in result order and LIMIT stops the scan early; `IN (json_each)` for more.
 */
function oneOf(column: SQLWrapper, values: unknown[]): SQL {
  return values.length === 1 ? sql`${column} = ${values[0]}` : sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
}

interface FromWhere {
  sql: SQL
  /** The (created_at, id) columns of the driving table, whose index gives the result order. */
  order: [SQLWrapper, SQLWrapper]
  /** A tag join with several values can yield an event more than once. */
  mayRepeat: boolean
}

/** The FROM and WHERE of a filter; a tag condition, when there is one, drives the scan. */
function fromWhere(f: Filter, now: number): FromWhere {
  const where: SQL[] = [sql`(${events.expiresAt} IS NULL OR ${events.expiresAt} > ${now})`]
  if (f.ids) where.push(oneOf(events.id, f.ids))
  if (f.authors) where.push(oneOf(events.pubkey, f.authors))
  if (f.kinds) where.push(oneOf(events.kind, f.kinds))
  if (f.since !== undefined) where.push(sql`${events.createdAt} >= ${f.since}`)
  if (f.until !== undefined) where.push(sql`${events.createdAt} <= ${f.until}`)

  const tagConditions = Object.entries(f.tags ?? {})
  // Without statistics SQLite prefers the kind index for `pubkey AND kind` and walks every
  // event of the kind; the (pubkey, kind) index is the one that fits.
  let from = f.authors && f.kinds && !f.ids ? sql`${events} INDEXED BY events_pubkey_kind` : sql`${events}`
  let order: [SQLWrapper, SQLWrapper] = [events.createdAt, events.id]
  let mayRepeat = false
  // Without ids or authors to narrow it, scan from the first tag's index: CROSS JOIN keeps
  // SQLite from walking the whole time index and probing each row.
  if (tagConditions.length > 0 && !f.ids && !f.authors) {
    const [letter, values] = tagConditions.shift()!
    from = sql`${tags} CROSS JOIN ${events} ON ${events.id} = ${tags.eventId}`
    where.push(sql`${tags.name} = ${letter}`, oneOf(tags.value, values))
    if (f.since !== undefined) where.push(sql`${tags.createdAt} >= ${f.since}`)
    if (f.until !== undefined) where.push(sql`${tags.createdAt} <= ${f.until}`)
    order = [tags.createdAt, tags.eventId]
    mayRepeat = values.length > 1
  }
  for (const [letter, values] of tagConditions) {
    where.push(sql`EXISTS (SELECT 1 FROM ${tags} t2 WHERE t2.event_id = ${events.id} AND t2.name = ${letter} AND ${oneOf(sql`t2.value`, values)})`)
  }
  return { sql: sql`FROM ${from} WHERE ${sql.join(where, sql` AND `)}`, order, mayRepeat }
}

/** Stored events matching the filter, newest first, ties by lowest id, at most `limit`. */
export function selectEvents(f: Filter, limit: number, now: number): SQL {
  const q = fromWhere(f, now)
  const [createdAt, id] = q.order
  // Repeats of one event agree on every selected column, so DISTINCT folds them.
  const select = q.mayRepeat ? sql`SELECT DISTINCT` : sql`SELECT`
  return sql`${select} ${events.raw} AS raw, ${createdAt}, ${id} ${q.sql} ORDER BY ${createdAt} DESC, ${id} ASC LIMIT ${limit}`
}

/** How many stored events match any of the filters (NIP-45), each counted once. */
export function countEvents(filters: Filter[], now: number): SQL {
  const selects = filters.map((f) => sql`SELECT ${events.id} AS id ${fromWhere(f, now).sql}`)
  return sql`SELECT COUNT(DISTINCT id) AS n FROM (${sql.join(selects, sql` UNION ALL `)})`
}
