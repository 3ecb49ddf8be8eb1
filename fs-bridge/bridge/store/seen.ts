/**
 * Every request id the bridge has taken on, with its answer, kept past the time the request
 * could be accepted: a request seen before gets the stored answer again and is never executed
 * twice. The row is written (synchronously) before the request runs, so a duplicate arriving
 * meanwhile finds it; one whose run was cut off by an eviction is answered as interrupted.
 */
export type Claim =
  | { state: 'new' }
  /** `answer`: what `answer()` stored. */
  | { state: 'answered'; answer: string }
  /** Still running in this instance: its answer will go out once. */
  | { state: 'running' }
  /** Taken on by an instance that is gone: whether it ran is unknown. */
  | { state: 'interrupted' }

export class SeenRequests {
  private readonly running = new Set<string>()

  constructor(private readonly sql: SqlStorage) {
    sql.exec('CREATE TABLE IF NOT EXISTS seen_requests (id TEXT PRIMARY KEY, response TEXT, keep_until INTEGER NOT NULL)')
    sql.exec('CREATE INDEX IF NOT EXISTS seen_requests_keep ON seen_requests (keep_until)')
  }

  /** `keepUntil`: unix seconds until which the id must be remembered. */
  claim(id: string, keepUntil: number): Claim {
    const [row] = this.sql.exec<{ response: string | null }>('SELECT response FROM seen_requests WHERE id = ?', id).toArray()
    if (!row) {
      this.sql.exec('INSERT INTO seen_requests (id, response, keep_until) VALUES (?, NULL, ?)', id, keepUntil)
      this.running.add(id)
      return { state: 'new' }
    }
    if (row.response !== null) return { state: 'answered', answer: row.response }
    return this.running.has(id) ? { state: 'running' } : { state: 'interrupted' }
  }

  /** Stores what was answered (opaque to this table). */
  answer(id: string, answer: string): void {
    this.sql.exec('UPDATE seen_requests SET response = ? WHERE id = ?', answer, id)
    this.running.delete(id)
  }

  /** Forgets a request that was not executed (refused with EAGAIN), so that sending it again tries again. */
  forget(id: string): void {
    this.sql.exec('DELETE FROM seen_requests WHERE id = ?', id)
    this.running.delete(id)
  }

  /** Forgets ids past their time; returns when the next one is due (unix seconds), if any. */
  prune(now: number): number | null {
    this.sql.exec('DELETE FROM seen_requests WHERE keep_until < ?', now)
    const [row] = this.sql.exec<{ next: number | null }>('SELECT MIN(keep_until) AS next FROM seen_requests').toArray()
    return row?.next ?? null
  }
}
