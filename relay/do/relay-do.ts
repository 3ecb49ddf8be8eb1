/**
 * The relay: one Durable Object holding every client socket (hibernating), running the NIP-01
 * message loop over the pure protocol rules, storing through EventStore and fanning out.
 */
import { DurableObject } from 'cloudflare:workers'
import { getPublicKey, generateSecretKey } from 'nostr-tools/pure'
import { bytesToHex, hexToBytes } from 'nostr-tools/utils'
import { loadConfig, type RelayConfig } from '../config'
import { relayInfo } from '../nip11'
import { AUTH_KIND, checkAuthEvent } from '../protocol/auth'
import { canonicalEvent, checkEventShape, kindClass, rawEventId, type NostrEvent } from '../protocol/event'
import { matchAny, type Filter } from '../protocol/filter'
import { eventIdOf, parseClientMessage } from '../protocol/message'
import { expirationOf, isProtected } from '../protocol/tags'
import { EventStore } from '../store/event-store'
import { loadVerifier, type Verify } from '../verify'
import { Connection, eventFrame, type SocketState } from './connection'
import { BucketMap } from './rate-limit'
import { RecentIds } from './recent-ids'
import { SubscriptionLog } from './subscription-log'
import { WriteQueue } from './write-queue'

export interface RelayEnv {
  DB: D1Database
  RELAY: DurableObjectNamespace<RelayDurableObject>
  /** Hex secret key of the relay; generated and kept in storage when unset (local development). */
  RELAY_SECRET_KEY?: string
  [key: string]: unknown
}

/** Called with every accepted event after it is stored (or, if ephemeral, delivered). */
export type EventListener = (event: NostrEvent, raw: string) => void

const nowSeconds = () => Math.floor(Date.now() / 1000)

export class RelayDurableObject extends DurableObject<RelayEnv> {
  private readonly config: RelayConfig
  private readonly store: EventStore
  private readonly writes: WriteQueue
  private readonly subscriptionLog: SubscriptionLog
  private readonly connections = new Map<WebSocket, Connection>()
  private readonly recent = new RecentIds(50000)
  private readonly ipEvents: BucketMap
  /** The seam for the marketplace router: subscriptions are the first listener. */
  private readonly listeners: EventListener[] = [(e, raw) => this.fanOut(e, raw)]
  private verify!: Verify
  private secretKey!: Uint8Array
  private nextPurge: number | null = null

  constructor(ctx: DurableObjectState, env: RelayEnv) {
    super(ctx, env)
    this.config = loadConfig(env)
    this.store = new EventStore(env.DB)
    this.writes = new WriteQueue((batch) => this.store.write(batch))
    this.ipEvents = new BucketMap(this.config.eventsPerSecondPerIp, this.config.eventsPerSecondPerIp * 10)
    this.subscriptionLog = new SubscriptionLog(ctx.storage.sql)
    this.restoreConnections()
    ctx.blockConcurrencyWhile(async () => {
      this.verify = (await loadVerifier()).verify
      this.secretKey = await this.loadKey()
    })
  }

  /** After hibernation: sockets and their attachments are back; subscriptions come from storage. */
  private restoreConnections() {
    const now = Date.now()
    const sockets = this.ctx.getWebSockets()
    for (const ws of sockets) {
      const state = ws.deserializeAttachment() as SocketState | null
      if (state) this.connections.set(ws, new Connection(ws, state, this.config, now))
    }
    const byConn = new Map([...this.connections.values()].map((c) => [c.state.connId, c]))
    for (const [connId, subs] of this.subscriptionLog.restore(new Set(byConn.keys()))) {
      const conn = byConn.get(connId)!
      for (const [subId, filters] of subs) conn.subs.set(subId, { filters, backlog: null })
    }
  }

  private async loadKey(): Promise<Uint8Array> {
    if (this.env.RELAY_SECRET_KEY) return hexToBytes(this.env.RELAY_SECRET_KEY)
    const stored = await this.ctx.storage.get<string>('relay-secret-key')
    if (stored) return hexToBytes(stored)
    const key = generateSecretKey()
    await this.ctx.storage.put('relay-secret-key', bytesToHex(key))
    return key
  }

  /** RPC: the NIP-11 document. */
  info() {
    return relayInfo(this.config, getPublicKey(this.secretKey))
  }

  async fetch(request: Request): Promise<Response> {
    const [client, server] = Object.values(new WebSocketPair())
    const state: SocketState = {
      connId: crypto.randomUUID(),
      ip: request.headers.get('CF-Connecting-IP') ?? 'unknown',
      host: new URL(this.config.relayUrl ?? request.url).host,
      challenge: bytesToHex(crypto.getRandomValues(new Uint8Array(16))),
      authed: [],
    }
    this.ctx.acceptWebSocket(server)
    server.serializeAttachment(state)
    const conn = new Connection(server, state, this.config, Date.now())
    this.connections.set(server, conn)
    conn.send(JSON.stringify(['AUTH', state.challenge]))
    return new Response(null, { status: 101, webSocket: client })
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const conn = this.connections.get(ws)
    if (!conn) return ws.close(1011, 'unknown connection')
    if (typeof message !== 'string') return conn.notice('invalid: binary frames are not supported')
    if (exceeds(message, this.config.maxMessageLength)) {
      return conn.notice(`invalid: message is larger than ${this.config.maxMessageLength} bytes`)
    }
    const msg = parseClientMessage(message, this.config)
    try {
      switch (msg.type) {
        case 'malformed':
          return conn.notice(msg.reason)
        case 'refused':
          return conn.closed(msg.subId, msg.reason)
        case 'EVENT':
          return await this.onEvent(conn, msg.event)
        case 'AUTH':
          return this.onAuth(conn, msg.event)
        case 'REQ':
          return await this.onReq(conn, msg.subId, msg.filters)
        case 'COUNT':
          return await this.onCount(conn, msg.subId, msg.filters)
        case 'CLOSE':
          conn.subs.delete(msg.subId)
          return this.subscriptionLog.remove(conn.state.connId, msg.subId)
      }
    } catch (err) {
      console.error('relay: message failed', err)
      conn.notice('error: internal error')
    }
  }

  async webSocketClose(ws: WebSocket) {
    this.drop(ws)
  }

  async webSocketError(ws: WebSocket) {
    this.drop(ws)
  }

  private drop(ws: WebSocket) {
    const conn = this.connections.get(ws)
    if (!conn) return
    this.connections.delete(ws)
    this.subscriptionLog.removeConnection(conn.state.connId)
  }

  private async onEvent(conn: Connection, raw: unknown) {
    const id = eventIdOf(raw)
    if (id === null) return conn.notice('invalid: EVENT needs an event object with an id')
    const now = nowSeconds()
    const shapeError = checkEventShape(raw, this.config, now)
    if (shapeError) return conn.ok(id, false, `invalid: ${shapeError}`)
    const event = raw as NostrEvent
    if (this.config.authRequired && !conn.isAuthed()) return conn.ok(id, false, 'auth-required: this relay requires NIP-42 authentication')
    const ms = Date.now()
    if (!conn.events.take(ms) || !this.ipEvents.take(conn.state.ip, ms)) return conn.ok(id, false, 'rate-limited: slow down')
    if (this.recent.has(id)) return conn.ok(id, true, 'duplicate: already have this event')
    if (event.kind === AUTH_KIND) return conn.ok(id, false, 'invalid: kind 22242 is only accepted in AUTH messages')
    const expiration = expirationOf(event)
    if (expiration !== null && expiration <= now) return conn.ok(id, false, 'invalid: event has expired')
    if (isProtected(event) && !conn.isAuthed(event.pubkey)) {
      return conn.isAuthed()
        ? conn.ok(id, false, 'restricted: a protected event may only be published by its author')
        : conn.ok(id, false, 'auth-required: this event may only be published by its authenticated author')
    }
    if (!this.verify(event)) return conn.ok(id, false, 'invalid: bad event id or signature')
    const clean = canonicalEvent(event)
    if (kindClass(event.kind) === 'ephemeral') {
      this.recent.add(id)
      conn.ok(id, true, '')
      return this.accepted(clean)
    }
    let outcome
    try {
      outcome = await this.writes.submit(clean)
    } catch (err) {
      console.error('relay: storage write failed', err)
      return conn.ok(id, false, 'error: could not store the event, try again')
    }
    if (!outcome.stored) return conn.ok(id, false, outcome.reason)
    this.recent.add(id)
    if (outcome.duplicate) return conn.ok(id, true, 'duplicate: already have this event')
    conn.ok(id, true, '')
    this.accepted(clean)
    if (expiration !== null) await this.schedulePurge(expiration)
  }

  private accepted(event: NostrEvent) {
    const raw = JSON.stringify(event)
    for (const listener of this.listeners) listener(event, raw)
  }

  private fanOut(event: NostrEvent, raw: string) {
    for (const conn of this.connections.values()) {
      for (const [subId, sub] of conn.subs) {
        if (!matchAny(sub.filters, event)) continue
        if (sub.backlog) sub.backlog.push(raw)
        else conn.send(eventFrame(subId, raw))
      }
    }
  }

  private onAuth(conn: Connection, raw: unknown) {
    const id = eventIdOf(raw)
    if (id === null) return conn.notice('invalid: AUTH needs a signed event')
    const now = nowSeconds()
    const shapeError = checkEventShape(raw, { ...this.config, createdAtLowerLimit: Infinity, createdAtUpperLimit: Infinity }, now)
    if (shapeError) return conn.ok(id, false, `invalid: ${shapeError}`)
    const event = raw as NostrEvent
    const authError = checkAuthEvent(event, conn.state.challenge, conn.state.host, now)
    if (authError) return conn.ok(id, false, authError)
    if (!this.verify(event)) return conn.ok(id, false, 'invalid: bad event id or signature')
    conn.addAuthed(event.pubkey)
    conn.ok(id, true, '')
  }

  private async onReq(conn: Connection, subId: string, filters: Filter[]) {
    if (this.config.authRequired && !conn.isAuthed()) return conn.closed(subId, 'auth-required: this relay requires NIP-42 authentication')
    if (!conn.reqs.take(Date.now())) return conn.closed(subId, 'rate-limited: too many subscriptions too fast')
    if (!conn.subs.has(subId) && conn.subs.size >= this.config.maxSubscriptions) {
      return conn.closed(subId, `blocked: at most ${this.config.maxSubscriptions} subscriptions per connection`)
    }
    // Listen first, then read history: nothing published meanwhile is lost, and the backlog
    // holds it until EOSE, minus what the history already contained.
    const sub = { filters, backlog: [] as string[] }
    conn.subs.set(subId, sub)
    this.subscriptionLog.save(conn.state.connId, subId, filters)
    const now = nowSeconds()
    let results: string[][]
    try {
      results = await Promise.all(filters.map((f) => this.store.query(f, this.limitOf(f), now)))
    } catch (err) {
      console.error('relay: query failed', err)
      if (conn.subs.get(subId) === sub) {
        conn.subs.delete(subId)
        this.subscriptionLog.remove(conn.state.connId, subId)
      }
      return conn.closed(subId, 'error: could not read stored events')
    }
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
    for (const raw of sub.backlog) if (!sent.has(rawEventId(raw))) conn.send(eventFrame(subId, raw))
    ;(sub as { backlog: string[] | null }).backlog = null
  }

  private limitOf(f: Filter): number {
    return Math.min(f.limit ?? this.config.defaultLimit, this.config.maxLimit)
  }

  private async onCount(conn: Connection, subId: string, filters: Filter[]) {
    if (this.config.authRequired && !conn.isAuthed()) return conn.closed(subId, 'auth-required: this relay requires NIP-42 authentication')
    if (!conn.reqs.take(Date.now())) return conn.closed(subId, 'rate-limited: too many requests too fast')
    try {
      const count = await this.store.count(filters, nowSeconds())
      conn.send(JSON.stringify(['COUNT', subId, { count }]))
    } catch (err) {
      console.error('relay: count failed', err)
      conn.closed(subId, 'error: could not count stored events')
    }
  }

  /** NIP-40: expired events stop being served at once (queries check) and are purged by alarm. */
  private async schedulePurge(at: number) {
    if (this.nextPurge !== null && this.nextPurge <= at) return
    const current = await this.ctx.storage.getAlarm()
    if (current !== null && current <= at * 1000) {
      this.nextPurge = current / 1000
      return
    }
    this.nextPurge = at
    await this.ctx.storage.setAlarm(at * 1000)
  }

  async alarm() {
    const next = await this.store.purgeExpired(nowSeconds())
    this.nextPurge = null
    if (next !== null) await this.schedulePurge(next)
  }
}

/** Whether a frame's UTF-8 size exceeds `max`, encoding only when the length leaves it open. */
function exceeds(s: string, max: number): boolean {
  if (s.length > max) return true
  return s.length * 3 > max && new TextEncoder().encode(s).length > max
}
