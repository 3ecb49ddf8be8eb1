/**
 * Auth event ids a Durable Object has accepted, kept until the event would be stale anyway, so a
 * captured `Authorization` header cannot be replayed to repeat a change.
 */
export class SeenIds {
  constructor(private readonly sql: SqlStorage) {
    sql.exec('CREATE TABLE IF NOT EXISTS seen_auth (id TEXT PRIMARY KEY, until INTEGER NOT NULL)')
  }

  /** True the first time `id` is claimed; ids are forgotten once `now` passes their `until` (unix seconds). */
  claim(id: string, now: number, until: number): boolean {
    this.sql.exec('DELETE FROM seen_auth WHERE until < ?', now)
    return this.sql.exec('INSERT INTO seen_auth (id, until) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id', id, until).toArray().length === 1
  }
}
