/** D1 table of the fs-bridge's audit journal (migrations are generated from this file by drizzle-kit). */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** One row per request the bridge judged: who asked what, and whether it was allowed. */
export const fsAudit = sqliteTable(
  'fs_audit',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Unix milliseconds when the bridge answered. */
    at: integer('at').notNull(),
    requestId: text('request_id').notNull(),
    pubkey: text('pubkey').notNull(),
    /** Null when the request was refused before it could be read (stale, undecryptable). */
    ns: text('ns'),
    op: text('op'),
    path: text('path'),
    /** The second path of a rename. */
    target: text('target'),
    /** Whether authorization let it through (it may still have failed, e.g. ENOENT). */
    allowed: integer('allowed', { mode: 'boolean' }).notNull(),
    /** The wire error code, null on success. */
    code: text('code'),
  },
  (t) => [index('fs_audit_ns').on(t.ns, t.id)],
)
