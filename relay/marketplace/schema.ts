/** D1 tables of the marketplace: the DVM registry and the jobs it routes. */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** One row per NIP-89 announcement (pubkey, d) that is registered. */
export const dvms = sqliteTable(
  'dvms',
  {
    pubkey: text('pubkey').notNull(),
    d: text('d').notNull(),
    eventId: text('event_id').notNull(),
    /** JSON array of the job kinds served. */
    kinds: text('kinds').notNull(),
    name: text('name').notNull(),
    about: text('about').notNull(),
    price: integer('price'),
    metadata: text('metadata').notNull(),
    /** Durable Object binding of a DVM inside this platform, else null. */
    internal: text('internal'),
    announcedAt: integer('announced_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.pubkey, t.d] })],
)

/** When each DVM pubkey last showed life (ms): an answer, an announcement, or a heartbeat valid until a time. */
export const dvmActivity = sqliteTable('dvm_activity', {
  pubkey: text('pubkey').primaryKey(),
  lastSeen: integer('last_seen').notNull(),
  heartbeatUntil: integer('heartbeat_until'),
})

export const jobs = sqliteTable(
  'jobs',
  {
    id: text('id').primaryKey(),
    kind: integer('kind').notNull(),
    customer: text('customer').notNull(),
    status: text('status').notNull(),
    /** JSON arrays of pubkeys: named in p tags, and chosen by the router. */
    targets: text('targets').notNull(),
    assigned: text('assigned').notNull(),
    /** The DVM whose answer decided the status. */
    provider: text('provider'),
    /** A job input of type `job` that has no result yet. */
    waitingFor: text('waiting_for'),
    /** Times are milliseconds of the relay's clock. A DVM must say something by the deadline. */
    deadline: integer('deadline'),
    offers: integer('offers').notNull(),
    receivedAt: integer('received_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    firstFeedbackAt: integer('first_feedback_at'),
    resultAt: integer('result_at'),
    /** JSON array of { status, at, pubkey, eventId?, note? }. */
    history: text('history').notNull(),
    /** JSON array of result event ids. */
    results: text('results').notNull(),
  },
  (t) => [
    index('jobs_received').on(t.receivedAt),
    index('jobs_deadline').on(t.deadline),
    index('jobs_waiting').on(t.waitingFor),
    index('jobs_status_kind').on(t.status, t.kind),
  ],
)
