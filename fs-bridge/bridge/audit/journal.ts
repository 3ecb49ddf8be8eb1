/**
 * The audit journal: every judged request, written first to the Durable Object's own SQLite (an
 * outbox, synchronous and durable, so answering never waits on D1 and eviction loses nothing),
 * then moved to D1 in batches, where the owner reads it.
 */
import { and, desc, eq, gt } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { fsAudit } from './schema'

export interface AuditEntry {
  at: number
  requestId: string
  pubkey: string
  ns: string | null
  op: string | null
  path: string | null
  target: string | null
  allowed: boolean
  code: string | null
}

export type AuditRow = AuditEntry & { id: number }

const BATCH = 500

export class Journal {
  private flushing: Promise<void> | null = null

  constructor(
    private readonly sql: SqlStorage,
    private readonly db: D1Database,
  ) {
    sql.exec('CREATE TABLE IF NOT EXISTS journal_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT NOT NULL)')
  }

  record(entry: AuditEntry): void {
    this.sql.exec('INSERT INTO journal_outbox (entry) VALUES (?)', JSON.stringify(entry))
  }

  pending(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM journal_outbox').one().n
  }

  /** Moves everything in the outbox to D1, in order; concurrent callers share one flush. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => (this.flushing = null))
    return this.flushing
  }

  private async drain(): Promise<void> {
    for (;;) {
      const rows = this.sql.exec<{ seq: number; entry: string }>('SELECT seq, entry FROM journal_outbox ORDER BY seq LIMIT ?', BATCH).toArray()
      if (rows.length === 0) return
      const entries = `[${rows.map((r) => r.entry).join(',')}]`
      await this.db
        .prepare(
          `INSERT INTO fs_audit (at, request_id, pubkey, ns, op, path, target, allowed, code)
           SELECT value->>'at', value->>'requestId', value->>'pubkey', value->>'ns', value->>'op', value->>'path', value->>'target',
             value->>'allowed', value->>'code' FROM json_each(?)`,
        )
        .bind(entries)
        .run()
      this.sql.exec('DELETE FROM journal_outbox WHERE seq <= ?', rows[rows.length - 1].seq)
    }
  }

  /** A namespace's entries after `after` (an id), oldest first. */
  async read(ns: string, after: number, limit: number): Promise<AuditRow[]> {
    await this.flush()
    return drizzle(this.db).select().from(fsAudit).where(and(eq(fsAudit.ns, ns), gt(fsAudit.id, after))).orderBy(fsAudit.id).limit(limit)
  }

  /** A namespace's latest `limit` entries, oldest first. */
  async tail(ns: string, limit: number): Promise<AuditRow[]> {
    await this.flush()
    const rows = await drizzle(this.db).select().from(fsAudit).where(eq(fsAudit.ns, ns)).orderBy(desc(fsAudit.id)).limit(limit)
    return rows.reverse()
  }
}

/** One journal line as the owner reads it. */
export function auditLine(row: AuditRow): string {
  return JSON.stringify({
    id: row.id, at: row.at, request: row.requestId, pubkey: row.pubkey, op: row.op, path: row.path,
    ...(row.target !== null ? { to: row.target } : {}), allowed: row.allowed, code: row.code,
  })
}
