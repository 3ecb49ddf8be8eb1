/**
 * Subscriptions persisted in the Durable Object's own SQLite storage, so they outlive
 * hibernation. They do not live in socket attachments: those hold at most 16 KiB, and one
 * REQ for a follow list of a few hundred authors is larger than that.
 */
import type { Filter } from '../protocol/filter'

export class SubscriptionLog {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS subscriptions (
      conn TEXT NOT NULL, sub TEXT NOT NULL, filters TEXT NOT NULL, PRIMARY KEY (conn, sub))`)
  }

  save(conn: string, sub: string, filters: Filter[]) {
    this.sql.exec('INSERT OR REPLACE INTO subscriptions (conn, sub, filters) VALUES (?, ?, ?)', conn, sub, JSON.stringify(filters))
  }

  remove(conn: string, sub: string) {
    this.sql.exec('DELETE FROM subscriptions WHERE conn = ? AND sub = ?', conn, sub)
  }

  removeConnection(conn: string) {
    this.sql.exec('DELETE FROM subscriptions WHERE conn = ?', conn)
  }

  /** Every connection's subscriptions; rows of connections not in `live` are dropped. */
  restore(live: Set<string>): Map<string, Array<[sub: string, filters: Filter[]]>> {
    const out = new Map<string, Array<[string, Filter[]]>>()
    for (const row of this.sql.exec<{ conn: string; sub: string; filters: string }>('SELECT conn, sub, filters FROM subscriptions')) {
      if (!live.has(row.conn)) continue
      const list = out.get(row.conn) ?? []
      list.push([row.sub, JSON.parse(row.filters) as Filter[]])
      out.set(row.conn, list)
    }
    this.sql.exec(`DELETE FROM subscriptions WHERE conn NOT IN (SELECT value FROM json_each(?))`, JSON.stringify([...live]))
    return out
  }
}
