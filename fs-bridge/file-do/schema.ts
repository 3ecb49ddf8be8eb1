/** D1 backup of FileServiceDO trees (migrations are generated from this file by drizzle-kit). */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/** One row per namespace: its MemFs snapshot as JSON, restored when its object starts empty. */
export const namespaces = sqliteTable('namespaces', {
  id: text('id').primaryKey(),
  /** JSON of a MemSnapshot: path → base64 content, null for a directory. */
  data: text('data').notNull(),
  /** Unix milliseconds of the last backup. */
  updatedAt: integer('updated_at').notNull(),
})
