/** The namespaces a bridge serves, in its Durable Object's SQLite: the source of truth. */
import type { MountSpec, NamespaceRecord } from './record'

interface Row extends Record<string, SqlStorageValue> {
  id: string
  owner: string
  mounts: string
  created: number
  updated: number
}

const fromRow = (r: Row): NamespaceRecord => ({ id: r.id, owner: r.owner, mounts: JSON.parse(r.mounts) as MountSpec[], created: r.created, updated: r.updated })

export class NamespaceTable {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(`CREATE TABLE IF NOT EXISTS namespaces (
      id TEXT PRIMARY KEY, owner TEXT NOT NULL, mounts TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL)`)
  }

  get(id: string): NamespaceRecord | null {
    const [row] = this.sql.exec<Row>('SELECT * FROM namespaces WHERE id = ?', id).toArray()
    return row ? fromRow(row) : null
  }

  put(record: NamespaceRecord): void {
    this.sql.exec(
      `INSERT INTO namespaces (id, owner, mounts, created, updated) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET owner = excluded.owner, mounts = excluded.mounts, updated = excluded.updated`,
      record.id, record.owner, JSON.stringify(record.mounts), record.created, record.updated,
    )
  }

  delete(id: string): void {
    this.sql.exec('DELETE FROM namespaces WHERE id = ?', id)
  }
}
