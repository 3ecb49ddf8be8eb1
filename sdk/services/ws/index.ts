/**
 * WsFs, mounted at /cap/ws: WebSocket connections as files, laid out as OANIX has them. Writing
 * `{"url":"wss://…"}` (or `{"open":…}`) to `control` opens `conn-N` (reading `control` afterwards gives
 * that id); `{"id":"conn-N"}` (or `{"close":…}`) closes it. Each connection has `url`, `status`, `out`
 * (one message per flush, held while connecting) and `in` (each open-and-read takes the oldest
 * message; empty when there is none). Unlike OANIX, this service runs the sockets itself, with the
 * WebSocket constructor it is given (default `globalThis.WebSocket`; in Node 20 pass `ws`).
 *
 * Limits: `maxConnections` live connections (default 50, as OANIX; past it `control` refuses with
 * `rate-limited`), a connect timeout (default 10 s, then state `error`), `maxInbox` messages per
 * connection (default 1000; the oldest is dropped and counted in `inbox_dropped`), `maxOutbox`
 * messages held while connecting. Ended connections stay readable; beyond `maxConnections` of them,
 * the oldest are forgotten.
 */
import { FsError } from '../../fs/error'
import { toBytes, toText } from '../../fs/io'
import { normalizePath } from '../../fs/path'
import type { Metadata } from '../../fs/types'
import { dir, file, FuncFs, jsonFile, type FuncNode } from '../func'
import { Connection, type ConnectionLimits, type WebSocketConstructor, type WsMessage } from './connection'

export type { ConnectionLimits, WsConnectionStatus, WebSocketConstructor, WebSocketLike, WsMessage, WsState } from './connection'

export interface WsFsOptions {
  WebSocket?: WebSocketConstructor
  maxConnections?: number
  connectTimeoutMs?: number
  maxInbox?: number
  maxOutbox?: number
}

type ControlCommand = { open: string } | { close: string }

const bad = (why: string) => new FsError('invalid-argument', `invalid control command: ${why}`, '/control')

/** A flushed write to `control`: exactly one of url/open (a ws: or wss: URL) or id/close. */
export function parseControl(text: string): ControlCommand {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw bad('not JSON')
  }
  const keys = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : []
  const arg = keys.length === 1 ? (value as Record<string, unknown>)[keys[0]] : undefined
  if (typeof arg !== 'string' || !['url', 'open', 'id', 'close'].includes(keys[0])) {
    throw bad('write {"url":"wss://…"} or {"open":"wss://…"} to open, {"id":"conn-N"} or {"close":"conn-N"} to close')
  }
  return keys[0] === 'id' || keys[0] === 'close' ? { close: arg } : { open: checkUrl(arg) }
}

function checkUrl(url: string): string {
  let protocol = ''
  try {
    protocol = new URL(url).protocol
  } catch {
    // not a URL: refused below
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') throw bad('the URL must be an absolute ws: or wss: URL')
  return url
}

const INBOX = /^\/conns\/([^/]+)\/in$/

export class WsFs extends FuncFs {
  private readonly WebSocket?: WebSocketConstructor
  private readonly maxConnections: number
  private readonly limits: ConnectionLimits
  private readonly conns = new Map<string, Connection>()
  private nextId = 0
  private lastId = ''

  constructor(options: WsFsOptions = {}) {
    super(
      dir({
        control: file(
          () => this.lastId,
          (data) => void (data.length > 0 && this.control(parseControl(toText(data)))),
        ),
        status: jsonFile(() => this.status()),
        conns: dir(
          () => new Map([...this.conns.values()].map((c) => [c.id, this.connDir(c)])),
          (id) => {
            const conn = this.conns.get(id)
            return conn && this.connDir(conn)
          },
        ),
      }),
    )
    this.WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
    this.maxConnections = options.maxConnections ?? 50
    this.limits = { connectTimeoutMs: options.connectTimeoutMs ?? 10_000, maxInbox: options.maxInbox ?? 1000, maxOutbox: options.maxOutbox ?? 1000 }
  }

  /** `in` is listed as a peek at the next message; only opening it and reading takes the message. */
  private connDir(conn: Connection) {
    const files: Record<string, FuncNode> = {
      url: file(() => conn.url),
      status: jsonFile(() => conn.status()),
      out: file(undefined, (data) => void (data.length > 0 && conn.send(data, `/conns/${conn.id}/out`))),
      in: file(() => conn.peek() ?? ''),
    }
    const take = file(() => conn.take() ?? '')
    return dir(files, (name) => (name === 'in' ? take : Object.hasOwn(files, name) ? files[name] : undefined))
  }

  status() {
    return { connection_count: this.liveCount(), max_connections: this.maxConnections, connections: [...this.conns.keys()] }
  }

  private liveCount(): number {
    return [...this.conns.values()].filter((c) => c.live).length
  }

  private control(command: ControlCommand): void {
    if ('open' in command) this.connect(command.open)
    else this.close(command.close)
  }

  /** Opens a connection; returns its id. */
  connect(url: string): string {
    checkUrl(url)
    if (!this.WebSocket) throw new FsError('unavailable', 'no WebSocket implementation: pass one as the WebSocket option', '/control')
    if (this.liveCount() >= this.maxConnections) throw new FsError('rate-limited', `max connections (${this.maxConnections}) reached`, '/control')
    const id = `conn-${this.nextId++}`
    const conn = new Connection(id, url, this.limits, (what) => this.changed(conn, what))
    this.conns.set(id, conn)
    this.lastId = id
    this.notify({ type: 'create', path: `/conns/${id}` })
    this.notify({ type: 'modify', path: '/status' })
    conn.connect(this.WebSocket)
    return id
  }

  close(id: string): void {
    this.connection(id).close()
  }

  /** Sends one message (held while connecting). */
  send(id: string, data: Uint8Array | string): void {
    this.connection(id).send(toBytes(data), `/conns/${id}/out`)
  }

  /** Takes the oldest received message, if any. */
  receive(id: string): WsMessage | undefined {
    return this.connection(id).take()
  }

  /** Closes every connection (for shutting down). */
  closeAll(): void {
    for (const conn of this.conns.values()) conn.close()
  }

  private connection(id: string): Connection {
    const conn = this.conns.get(id)
    if (!conn) throw new FsError('not-found', `no connection ${id}`, `/conns/${id}`)
    return conn
  }

  private changed(conn: Connection, what: 'status' | 'in' | 'ended'): void {
    this.notify({ type: 'modify', path: `/conns/${conn.id}/${what === 'in' ? 'in' : 'status'}` })
    if (what === 'ended') {
      this.forgetEnded()
      this.notify({ type: 'modify', path: '/status' })
    }
  }

  private forgetEnded(): void {
    const ended = [...this.conns.values()].filter((c) => !c.live)
    for (const conn of ended.slice(0, Math.max(0, ended.length - this.maxConnections))) {
      this.conns.delete(conn.id)
      this.notify({ type: 'delete', path: `/conns/${conn.id}` })
    }
  }

  /** Stat of `in` must not take a message, so it looks rather than reads. */
  override async stat(path: string): Promise<Metadata> {
    const conn = this.conns.get(INBOX.exec(normalizePath(path))?.[1] ?? '')
    if (!conn) return super.stat(path)
    const next = conn.peek()
    return { kind: 'file', size: next === undefined ? 0 : toBytes(next).length, modified: Math.floor(Date.now() / 1000), version: conn.inboxVersion, readonly: true }
  }
}
