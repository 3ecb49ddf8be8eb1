/**
 * Every client socket of the relay with its subscriptions: registering and closing them
 * (persisted, so they outlive hibernation), rebuilding them after eviction, and fan-out.
 */
import type { RelayConfig } from '../config'
import { isAddressed, mayReceive } from '../protocol/addressed'
import { rawEventId, type NostrEvent } from '../protocol/event'
import { matchAny, type Filter } from '../protocol/filter'
import { Connection, eventFrame, type SocketState, type Subscription } from './connection'
import { SubscriptionLog } from './subscription-log'

export class Hub {
  private readonly connections = new Map<WebSocket, Connection>()
  private readonly log: SubscriptionLog

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly config: RelayConfig,
  ) {
    this.log = new SubscriptionLog(ctx.storage.sql)
  }

  /** After hibernation: sockets and their attachments are back; subscriptions come from storage. */
  restore() {
    const now = Date.now()
    for (const ws of this.ctx.getWebSockets()) {
      const state = ws.deserializeAttachment() as SocketState | null
      if (state) this.connections.set(ws, new Connection(ws, state, this.config, now))
    }
    const byConn = new Map([...this.connections.values()].map((c) => [c.state.connId, c]))
    for (const [connId, subs] of this.log.restore(new Set(byConn.keys()))) {
      const conn = byConn.get(connId)!
      for (const [subId, filters] of subs) conn.subs.set(subId, { filters, backlog: null })
    }
  }

  accept(ws: WebSocket, state: SocketState): Connection {
    this.ctx.acceptWebSocket(ws)
    ws.serializeAttachment(state)
    const conn = new Connection(ws, state, this.config, Date.now())
    this.connections.set(ws, conn)
    return conn
  }

  get(ws: WebSocket): Connection | undefined {
    return this.connections.get(ws)
  }

  all(): Iterable<Connection> {
    return this.connections.values()
  }

  drop(ws: WebSocket) {
    const conn = this.connections.get(ws)
    if (!conn) return
    this.connections.delete(ws)
    this.log.removeConnection(conn.state.connId)
  }

  /**
   * Registers a subscription before its history is read, holding live events in a backlog
   * until `deliverHistory`: nothing published meanwhile is lost.
   */
  open(conn: Connection, subId: string, filters: Filter[]): Subscription {
    const sub: Subscription = { filters, backlog: [] }
    conn.subs.set(subId, sub)
    this.log.save(conn.state.connId, subId, filters)
    return sub
  }

  close(conn: Connection, subId: string, only?: Subscription) {
    if (only && conn.subs.get(subId) !== only) return
    conn.subs.delete(subId)
    this.log.remove(conn.state.connId, subId)
  }

  /** Stored events once each, EOSE, then the backlog minus what the history had; then live. */
  deliverHistory(conn: Connection, subId: string, sub: Subscription, results: string[][]) {
    if (conn.subs.get(subId) !== sub) return // closed or replaced meanwhile
    const sent = new Set<string>()
    for (const rows of results) {
      for (const raw of rows) {
        const id = rawEventId(raw)
        if (sent.has(id)) continue
        sent.add(id)
        conn.send(eventFrame(subId, raw))
      }
    }
    conn.send(JSON.stringify(['EOSE', subId]))
    for (const raw of sub.backlog ?? []) if (!sent.has(rawEventId(raw))) conn.send(eventFrame(subId, raw))
    sub.backlog = null
  }

  fanOut(event: NostrEvent, raw: string) {
    const addressed = isAddressed(event)
    for (const conn of this.connections.values()) {
      if (addressed && !mayReceive(event, conn.state.authed)) continue
      for (const [subId, sub] of conn.subs) {
        if (!matchAny(sub.filters, event)) continue
        if (sub.backlog) sub.backlog.push(raw)
        else conn.send(eventFrame(subId, raw))
      }
    }
  }

  /** Whether a live subscription asks for this job request's kind by name and matches it. */
  watched(request: NostrEvent): boolean {
    for (const conn of this.connections.values()) {
      for (const sub of conn.subs.values()) {
        if (sub.filters.some((f) => f.kinds?.includes(request.kind)) && matchAny(sub.filters, request)) return true
      }
    }
    return false
  }
}
