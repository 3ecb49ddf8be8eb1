/** D1 tables of the relay. Migrations are generated from this file by drizzle-kit. */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const events = sqliteTable(
  'events',
  {
    id: text('id').primaryKey(),
    pubkey: text('pubkey').notNull(),
    kind: integer('kind').notNull(),
    createdAt: integer('created_at').notNull(),
    /** `kind:pubkey:d` for replaceable and addressable events, else null. */
    address: text('address'),
    /** NIP-40 expiration, seconds. */
    expiresAt: integer('expires_at'),
    /** The canonical event JSON, sent to clients as it is. */
    raw: text('raw').notNull(),
  },
  (t) => [
    // Results go newest first, ties by lowest id (NIP-01), so indexes end in (created_at DESC, id).
    index('events_created').on(sql`${t.createdAt} DESC`, t.id),
    index('events_pubkey').on(t.pubkey, sql`${t.createdAt} DESC`, t.id),
    index('events_kind').on(t.kind, sql`${t.createdAt} DESC`, t.id),
    index('events_pubkey_kind').on(t.pubkey, t.kind, sql`${t.createdAt} DESC`, t.id),
    index('events_address').on(t.address).where(sql`${t.address} IS NOT NULL`),
    index('events_expires').on(t.expiresAt).where(sql`${t.expiresAt} IS NOT NULL`),
  ],
)

/** One row per distinct single-letter tag (name, first value) of each event. */
export const tags = sqliteTable(
  'tags',
  {
    eventId: text('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    value: text('value').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.eventId, t.name, t.value] }),
    index('tags_value').on(t.name, t.value, sql`${t.createdAt} DESC`, t.eventId),
  ],
)

/** NIP-09 tombstones by id: the event is refused if re-sent by the pubkey that deleted it. */
export const deletedEvents = sqliteTable(
  'deleted_events',
  {
    id: text('id').notNull(),
    pubkey: text('pubkey').notNull(),
  },
  (t) => [primaryKey({ columns: [t.id, t.pubkey] })],
)

/** NIP-09 tombstones by address: versions created at or before `until` are refused. */
export const deletedAddresses = sqliteTable('deleted_addresses', {
  address: text('address').primaryKey(),
  until: integer('until').notNull(),
})
