/**
 * Watches: who watches which path of which namespace, kept in SQLite so they outlive eviction.
 * Changes heard in one turn go out as one notification; notifications of a watch go out one at
 * a time, in order, numbered densely by `seq`. After a restart each watch skips one number: a
 * gap tells the watcher to re-read, since what changed while the bridge was away went unheard.
 */
import type { Change } from '../../../sdk/fs/types'
import { wireChange, type NotificationBody, type WireChange } from '../../../sdk/services/remote/protocol'

export interface WatchRecord {
  /** The id of the watch request. */
  id: string
  ns: string
  pubkey: string
  path: string
  recursive: boolean
  seq: number
  /** Unix seconds. */
  expiresAt: number
}

/** What the watcher may still see of `changes`; `revoked` when it may no longer watch at all. */
export type Screen = (watch: WatchRecord, changes: WireChange[]) => Promise<{ changes: WireChange[]; revoked: boolean }>
export type Send = (watch: WatchRecord, body: NotificationBody) => Promise<void>
/** Starts hearing a watch's changes; returns the stop. */
export type Attach = (watch: WatchRecord, onChange: (change: Change) => void) => () => void

interface Row extends Record<string, SqlStorageValue> {
  id: string
  ns: string
  pubkey: string
  path: string
  recursive: number
  seq: number
  expires_at: number
}

const fromRow = (r: Row): WatchRecord => ({ id: r.id, ns: r.ns, pubkey: r.pubkey, path: r.path, recursive: r.recursive === 1, seq: r.seq, expiresAt: r.expires_at })

export class Watches {
  private readonly stops = new Map<string, () => void>()
  private readonly pending = new Map<string, WireChange[]>()
  private readonly chains = new Map<string, Promise<void>>()

  constructor(
    private readonly sql: SqlStorage,
    private readonly screen: Screen,
    private readonly send: Send,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS watches (
      id TEXT PRIMARY KEY, ns TEXT NOT NULL, pubkey TEXT NOT NULL, path TEXT NOT NULL,
      recursive INTEGER NOT NULL, seq INTEGER NOT NULL, expires_at INTEGER NOT NULL)`)
  }

  get(id: string): WatchRecord | null {
    const [row] = this.sql.exec<Row>('SELECT * FROM watches WHERE id = ?', id).toArray()
    return row ? fromRow(row) : null
  }

  all(): WatchRecord[] {
    return this.sql.exec<Row>('SELECT * FROM watches').toArray().map(fromRow)
  }

  countFor(pubkey: string): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM watches WHERE pubkey = ?', pubkey).one().n
  }

  /** Starts a watch; `attach` throws (nothing is stored) when the path cannot be watched. */
  create(watch: Omit<WatchRecord, 'seq'>, attach: Attach): WatchRecord {
    const record = { ...watch, seq: 0 }
    this.stops.set(record.id, attach(record, (c) => this.heard(record.id, c)))
    this.sql.exec(
      'INSERT INTO watches (id, ns, pubkey, path, recursive, seq, expires_at) VALUES (?, ?, ?, ?, ?, 0, ?)',
      record.id, record.ns, record.pubkey, record.path, record.recursive ? 1 : 0, record.expiresAt,
    )
    return record
  }

  /** After a restart: hears each stored watch again, one seq number on (see above). */
  restore(attach: Attach): void {
    this.sql.exec('UPDATE watches SET seq = seq + 1')
    for (const watch of this.all()) {
      try {
        this.stops.set(watch.id, attach(watch, (c) => this.heard(watch.id, c)))
      } catch (err) {
        console.error(`fs-bridge: watch ${watch.id} could not be restored`, err)
        this.remove(watch.id)
      }
    }
  }

  renew(id: string, expiresAt: number): void {
    this.sql.exec('UPDATE watches SET expires_at = ? WHERE id = ?', expiresAt, id)
  }

  remove(id: string): void {
    this.stops.get(id)?.()
    this.stops.delete(id)
    this.pending.delete(id)
    this.sql.exec('DELETE FROM watches WHERE id = ?', id)
  }

  /** Ends every watch of a namespace that was replaced or deleted, with a last notification. */
  endNamespace(ns: string): void {
    for (const w of this.all()) {
      if (w.ns !== ns) continue
      this.stops.get(w.id)?.()
      this.stops.delete(w.id)
      void this.enqueue(w.id, () => this.close(w.id, 'ended'))
    }
  }

  /** Ends watches past their time with a last notification; returns when the next one ends, if any. */
  async expire(now: number): Promise<number | null> {
    for (const w of this.all()) if (w.expiresAt <= now) await this.enqueue(w.id, () => this.close(w.id, 'expired'))
    const [row] = this.sql.exec<{ next: number | null }>('SELECT MIN(expires_at) AS next FROM watches').toArray()
    return row?.next ?? null
  }

  private heard(id: string, change: Change): void {
    const batch = this.pending.get(id)
    if (batch) return void batch.push(wireChange(change))
    this.pending.set(id, [wireChange(change)])
    void this.enqueue(id, () => this.flush(id))
  }

  private enqueue(id: string, task: () => Promise<void>): Promise<void> {
    const run = (this.chains.get(id) ?? Promise.resolve()).then(task)
    const settled = run.catch((err) => console.error(`fs-bridge: notification for watch ${id} failed`, err))
    this.chains.set(id, settled)
    void settled.then(() => {
      if (this.chains.get(id) === settled) this.chains.delete(id)
    })
    return settled
  }

  private nextSeq(id: string): number {
    return this.sql.exec<{ seq: number }>('UPDATE watches SET seq = seq + 1 WHERE id = ? RETURNING seq', id).one().seq
  }

  private async flush(id: string): Promise<void> {
    const changes = this.pending.get(id)
    this.pending.delete(id)
    const watch = this.get(id)
    if (!watch || !changes) return
    const screened = await this.screen(watch, changes)
    if (screened.revoked) return this.close(id, 'revoked')
    if (screened.changes.length === 0 || !this.get(id)) return
    const seq = this.nextSeq(id)
    await this.send({ ...watch, seq }, { seq, changes: screened.changes })
  }

  private async close(id: string, why: NonNullable<NotificationBody['closed']>): Promise<void> {
    const watch = this.get(id)
    if (!watch) return
    const seq = this.nextSeq(id)
    this.remove(id)
    await this.send({ ...watch, seq }, { seq, changes: [], closed: why })
  }
}
