/**
 * NIP-01 filters as SQL over the events and tags tables. Lists travel as one JSON parameter
 * read with json_each, so a filter of any size binds a handful of parameters and never meets
 * D1's limit of 100 per statement, with no chunking that could reorder or double-count.
 */
import { sql, type SQL } from 'drizzle-orm'
import type { Filter } from '../protocol/filter'
import { events, tags } from './schema'

const list = (values: unknown[]) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`

/** The FROM and WHERE of a filter; a tag condition, when there is one, drives the scan. */
function fromWhere(f: Filter, now: number): SQL {
  const where: SQL[] = [sql`(${events.expiresAt} IS NULL OR ${events.expiresAt} > ${now})`]
  if (f.ids) where.push(sql`${events.id} IN ${list(f.ids)}`)
  if (f.authors) where.push(sql`${events.pubkey} IN ${list(f.authors)}`)
  if (f.kinds) where.push(sql`${events.kind} IN ${list(f.kinds)}`)
  if (f.since !== undefined) where.push(sql`${events.createdAt} >= ${f.since}`)
  if (f.until !== undefined) where.push(sql`${events.createdAt} <= ${f.until}`)

  const tagConditions = Object.entries(f.tags ?? {})
  let from = sql`${events}`
  // Without ids or authors to narrow it, scan from the first tag's index: CROSS JOIN keeps
  // SQLite from walking the whole time index and probing each row.
  if (tagConditions.length > 0 && !f.ids && !f.authors) {
    const [letter, values] = tagConditions.shift()!
    from = sql`${tags} CROSS JOIN ${events} ON ${events.id} = ${tags.eventId}`
    where.push(sql`${tags.name} = ${letter} AND ${tags.value} IN ${list(values)}`)
    if (f.since !== undefined) where.push(sql`${tags.createdAt} >= ${f.since}`)
    if (f.until !== undefined) where.push(sql`${tags.createdAt} <= ${f.until}`)
  }
  for (const [letter, values] of tagConditions) {
    where.push(
      sql`EXISTS (SELECT 1 FROM ${tags} t2 WHERE t2.event_id = ${events.id} AND t2.name = ${letter} AND t2.value IN ${list(values)})`,
    )
  }
  return sql`FROM ${from} WHERE ${sql.join(where, sql` AND `)}`
}

/** Stored events matching the filter, newest first, ties by lowest id, at most `limit`. */
export function selectEvents(f: Filter, limit: number, now: number): SQL {
  return sql`SELECT DISTINCT ${events.raw} AS raw, ${events.createdAt}, ${events.id} ${fromWhere(f, now)} ORDER BY ${events.createdAt} DESC, ${events.id} ASC LIMIT ${limit}`
}

/** How many stored events match any of the filters (NIP-45), each counted once. */
export function countEvents(filters: Filter[], now: number): SQL {
  const selects = filters.map((f) => sql`SELECT ${events.id} ${fromWhere(f, now)}`)
  return sql`SELECT COUNT(*) AS n FROM (${sql.join(selects, sql` UNION `)})`
}
