/**
 * A FileServiceDO's tree in its SQLite storage, one row per entry (content as a blob, null for a
 * directory), kept in step with the MemFs that serves it by re-syncing changed subtrees.
 */
import { FsError } from '../../sdk/fs/error'
import { base64ToBytes, bytesToBase64, readFile } from '../../sdk/fs/io'
import { joinPath } from '../../sdk/fs/path'
import type { MemFs, MemSnapshot } from '../../sdk/services/mem'
import { toArrayBuffer } from '../bytes'
import { entryCost } from './quota'

type Rows = Map<string, Uint8Array | null>

export class TreeStore {
  private readonly sql: SqlStorage
  /** Snapshot characters the tree takes (see quota.ts). */
  private total = 0

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql
    this.sql.exec('CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, data BLOB)')
    this.sql.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  }

  /** The namespace this object serves; undefined while its storage is empty. */
  namespace(): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'namespace'").toArray()[0]?.value
  }

  cost(): number {
    return this.total
  }

  load(): MemSnapshot {
    const files: MemSnapshot['files'] = {}
    this.total = 0
    for (const row of this.sql.exec<{ path: string; data: ArrayBuffer | null }>('SELECT path, data FROM entries ORDER BY path')) {
      const data = row.data === null ? null : new Uint8Array(row.data)
      files[row.path] = data === null ? null : bytesToBase64(data)
      this.total += entryCost(row.path.length, data?.length ?? null)
    }
    return { clock: 0, files }
  }

  /** Claims the empty storage for `namespace`, holding `snapshot`. */
  init(namespace: string, snapshot: MemSnapshot): void {
    this.storage.transactionSync(() => {
      this.sql.exec("INSERT INTO meta (key, value) VALUES ('namespace', ?)", namespace)
      for (const [path, data] of Object.entries(snapshot.files)) this.insert(path, data === null ? null : base64ToBytes(data))
    })
  }

  /** Makes the stored subtrees at `paths` what they are in `fs` now (gone where fs has nothing). */
  async resync(fs: MemFs, paths: Iterable<string>): Promise<void> {
    const rows: Rows = new Map()
    const roots = [...paths]
    for (const path of roots) await collect(fs, path, rows)
    this.storage.transactionSync(() => {
      for (const path of roots) this.deleteSubtree(path)
      for (const [path, data] of rows) this.insert(path, data)
    })
  }

  private insert(path: string, data: Uint8Array | null): void {
    this.sql.exec('INSERT INTO entries (path, data) VALUES (?, ?)', path, data === null ? null : toArrayBuffer(data))
    this.total += entryCost(path.length, data?.length ?? null)
  }

  private deleteSubtree(path: string): void {
    // Paths below `path` sort between `path/` and `path0` ('0' follows '/').
    const removed =
      path === '/'
        ? this.sql.exec<{ path: string; size: number | null }>('DELETE FROM entries RETURNING path, length(data) AS size')
        : this.sql.exec<{ path: string; size: number | null }>(
            "DELETE FROM entries WHERE path = ?1 OR (path >= ?1 || '/' AND path < ?1 || '0') RETURNING path, length(data) AS size",
            path,
          )
    for (const row of removed) this.total -= entryCost(row.path.length, row.size)
  }
}

async function collect(fs: MemFs, path: string, rows: Rows): Promise<void> {
  const meta = await fs.stat(path).catch((error) => {
    if (FsError.is(error, 'not-found') || FsError.is(error, 'not-a-directory')) return undefined
    throw error
  })
  if (!meta) return
  if (meta.kind === 'file') return void rows.set(path, await readFile(fs, path))
  rows.set(path, null)
  for (const entry of await fs.readdir(path)) await collect(fs, joinPath(path, entry.name), rows)
}
