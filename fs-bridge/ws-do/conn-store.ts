/**
 * /cap/ws state in the object's SQLite storage: connections, messages waiting to go out while a
 * connection opens, and messages that arrived while the agent was away (bounded: the oldest go
 * first, counted in `dropped`).
 */
import { toArrayBuffer } from '../bytes'

export type ConnState = 'connecting' | 'open' | 'closing' | 'closed' | 'error'

/** A connection's status file, with OANIX's fields (plus `dropped`). */
export interface ConnInfo {
  id: string
  url: string
  state: ConnState
  error?: string
  outbox_count: number
  inbox_count: number
  opened_at: number
  dropped: number
}

export interface Message {
  data: Uint8Array
  /** Arrived, or is to be sent, as a text frame. */
  text: boolean
}

export type Box = 'in' | 'out'

export const MAX_INBOX_MESSAGES = 1000
export const MAX_INBOX_BYTES = 1 << 20

interface ConnRow extends Record<string, SqlStorageValue> {
  id: string
  url: string
  state: ConnState
  error: string | null
  opened_at: number
  dropped: number
  in_count: number
  out_count: number
}

const COLUMNS = 'id, url, state, error, opened_at, dropped, in_count, out_count'

export class ConnStore {
  constructor(private readonly sql: SqlStorage) {
    // Per-box counts and bytes are kept on the connection, so status and bounds need no scans.
    sql.exec(`CREATE TABLE IF NOT EXISTS conns (n INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, url TEXT NOT NULL, state TEXT NOT NULL,
      error TEXT, opened_at INTEGER NOT NULL, dropped INTEGER NOT NULL DEFAULT 0, in_count INTEGER NOT NULL DEFAULT 0,
      in_bytes INTEGER NOT NULL DEFAULT 0, out_count INTEGER NOT NULL DEFAULT 0)`)
    sql.exec(`CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, conn TEXT NOT NULL, box TEXT NOT NULL,
      data BLOB NOT NULL, text INTEGER NOT NULL)`)
    sql.exec('CREATE INDEX IF NOT EXISTS messages_box ON messages (conn, box, seq)')
    sql.exec('CREATE TABLE IF NOT EXISTS ws_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  }

  /** Connections that were live in an earlier instance of the object: their sockets are gone. */
  loseLive(): void {
    this.sql.exec("UPDATE conns SET state = 'closed', error = 'connection lost when the object restarted' WHERE state IN ('connecting', 'open', 'closing')")
  }

  create(url: string, now: number): ConnInfo {
    const n = (this.sql.exec<{ n: number | null }>('SELECT MAX(n) AS n FROM conns').one().n ?? -1) + 1
    const id = `conn-${n}`
    this.sql.exec("INSERT INTO conns (n, id, url, state, opened_at) VALUES (?, ?, ?, 'connecting', ?)", n, id, url, now)
    this.sql.exec("INSERT OR REPLACE INTO ws_meta (key, value) VALUES ('last_opened', ?)", id)
    return this.get(id)!
  }

  lastOpened(): string {
    return this.sql.exec<{ value: string }>("SELECT value FROM ws_meta WHERE key = 'last_opened'").toArray()[0]?.value ?? ''
  }

  get(id: string): ConnInfo | undefined {
    const row = this.sql.exec<ConnRow>(`SELECT ${COLUMNS} FROM conns WHERE id = ?`, id).toArray()[0]
    return row && info(row)
  }

  list(): ConnInfo[] {
    return this.sql.exec<ConnRow>(`SELECT ${COLUMNS} FROM conns ORDER BY n`).toArray().map(info)
  }

  setState(id: string, state: ConnState, error?: string): void {
    this.sql.exec('UPDATE conns SET state = ?, error = ? WHERE id = ?', state, error ?? null, id)
  }

  push(id: string, box: Box, message: Message): void {
    this.sql.exec('INSERT INTO messages (conn, box, data, text) VALUES (?, ?, ?, ?)', id, box, toArrayBuffer(message.data), message.text ? 1 : 0)
    this.count(id, box, 1, message.data.length)
    if (box === 'in') this.bound(id)
  }

  private count(id: string, box: Box, messages: number, bytes: number): void {
    if (box === 'in') this.sql.exec('UPDATE conns SET in_count = in_count + ?, in_bytes = in_bytes + ? WHERE id = ?', messages, bytes, id)
    else this.sql.exec('UPDATE conns SET out_count = out_count + ? WHERE id = ?', messages, id)
  }

  /** Drops the oldest arrivals past the bounds. */
  private bound(id: string): void {
    const over = () => this.sql.exec<{ over: number }>('SELECT in_count > ? OR in_bytes > ? AS over FROM conns WHERE id = ?', MAX_INBOX_MESSAGES, MAX_INBOX_BYTES, id).one().over
    while (over()) {
      this.pop(id, 'in')
      this.sql.exec('UPDATE conns SET dropped = dropped + 1 WHERE id = ?', id)
    }
  }

  /** Takes the oldest message of a box. */
  pop(id: string, box: Box): Message | undefined {
    const row = this.sql
      .exec<{ data: ArrayBuffer; text: number }>(
        'DELETE FROM messages WHERE seq = (SELECT seq FROM messages WHERE conn = ? AND box = ? ORDER BY seq LIMIT 1) RETURNING data, text',
        id,
        box,
      )
      .toArray()[0]
    if (!row) return undefined
    this.count(id, box, -1, -row.data.byteLength)
    return { data: new Uint8Array(row.data), text: row.text === 1 }
  }

  /** Size of the oldest message of a box, without taking it. */
  peekSize(id: string, box: Box): number {
    return this.sql.exec<{ size: number }>('SELECT length(data) AS size FROM messages WHERE conn = ? AND box = ? ORDER BY seq LIMIT 1', id, box).toArray()[0]?.size ?? 0
  }

  remove(id: string): void {
    this.sql.exec('DELETE FROM messages WHERE conn = ?', id)
    this.sql.exec('DELETE FROM conns WHERE id = ?', id)
  }
}

function info(row: ConnRow): ConnInfo {
  return {
    id: row.id,
    url: row.url,
    state: row.state,
    ...(row.error === null ? {} : { error: row.error }),
    outbox_count: row.out_count,
    inbox_count: row.in_count,
    opened_at: row.opened_at,
    dropped: row.dropped,
  }
}
