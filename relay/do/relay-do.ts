/**
 * The relay: one Durable Object holding every client socket (hibernating), running the NIP-01
 * message loop over the pure protocol rules, storing through EventStore and fanning out.
 */
import { DurableObject } from 'cloudflare:workers'
import { getPublicKey, generateSecretKey } from 'nostr-tools/pure'
import { bytesToHex, hexToBytes } from 'nostr-tools/utils'
import { BucketMap } from '../../sdk/util/token-bucket'
import { listOf, loadConfig, type RelayConfig } from '../config'
import { EventHandlers } from '../marketplace/handlers'
import { Marketplace, marketplaceConfig, type RelayPort } from '../marketplace/router'
import { relayInfo } from '../nip11'
import { AUTH_KIND, checkAuthEvent } from '../protocol/auth'
import { canonicalEvent, checkEventShape, kindClass, type NostrEvent } from '../protocol/event'
import { parseFilter, type Filter } from '../protocol/filter'
import { eventIdOf, parseClientMessage } from '../protocol/message'
import { expirationOf, isProtected } from '../protocol/tags'
import { D1Runner } from '../store/d1'
import { EventStore } from '../store/event-store'
import { loadVerifier, type Schnorr } from '../verify'
import type { Connection, SocketState } from './connection'
import { Hub } from './hub'
import { RecentIds } from './recent-ids'
import { WriteQueue } from './write-queue'

export interface RelayEnv {
  DB: D1Database
  RELAY: DurableObjectNamespace<RelayDurableObject>
  /** Hex secret key of the relay; generated and kept in storage when unset (local development). */
  RELAY_SECRET_KEY?: string
  [key: string]: unknown
}

export interface PublishResult {
  accepted: boolean
  message: string
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

export class RelayDurableObject extends DurableObject<RelayEnv> {
  private readonly config: RelayConfig
  private readonly store: EventStore
  private readonly writes: WriteQueue
  private readonly hub: Hub
  private readonly recent = new RecentIds(50000)
  private readonly ipEvents: BucketMap
  private readonly marketplace: Marketplace
  private readonly handlers: EventHandlers
  private schnorr!: Schnorr
  private secretKey!: Uint8Array
  private pubkey!: string
  /** When the next expired event must be purged (ms), if any. */
  private nextPurge: number | null = null

  constructor(ctx: DurableObjectState, env: RelayEnv) {
    super(ctx, env)
    this.config = loadConfig(env)
    this.store = new EventStore(env.DB)
    this.writes = new WriteQueue(
      (batch) => this.store.write(batch),
      (removed) => removed.forEach((id) => this.recent.delete(id)),
    )
    this.ipEvents = new BucketMap(this.config.eventsPerSecondPerIp, this.config.eventsPerSecondPerIp * 10)
    this.hub = new Hub(ctx, this.config)
    this.marketplace = new Marketplace(this.port(), new D1Runner(env.DB), env, marketplaceConfig(this.config))
    this.handlers = new EventHandlers(env, listOf(this.config.eventHandlers))
    this.hub.restore()
    ctx.blockConcurrencyWhile(async () => {
      this.schnorr = await loadVerifier()
      this.secretKey = await this.loadKey()
      this.pubkey = getPublicKey(this.secretKey)
      await this.marketplace.load()
    })
    // Outside blockConcurrencyWhile: internal DVMs publish back to this object.
    ctx.waitUntil(this.marketplace.registerInternalDvms())
  }

  /** What the marketplace may ask of the relay. */
  private port(): RelayPort {
    const relay = this
    return {
      get pubkey() {
        return relay.pubkey
      },
      broadcast: (event) => this.hub.fanOut(event, JSON.stringify(event)),
      publish: (event) => this.publish(event),
      publishAsRelay: async (template) => {
        const event = this.schnorr.sign({ ...template, created_at: nowSeconds() }, this.secretKey)
        const result = await this.ingest(event, true)
        if (!result.accepted) console.error('relay: own event refused', result.message)
      },
      watched: (request) => this.hub.watched(request),
      getEvent: async (id) => {
        const [raw] = await this.store.query({ ids: [id] }, 1, nowSeconds())
        return raw ? (JSON.parse(raw) as NostrEvent) : undefined
      },
      wakeAt: (at) => void this.wakeAt(at),
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
    return relayInfo(this.config, this.pubkey)
  }

  /** RPC: open client sockets, hibernating ones included. */
  connections(): number {
    return this.ctx.getWebSockets().length
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
    const conn = this.hub.accept(server, state)
    conn.send(JSON.stringify(['AUTH', state.challenge]))
    return new Response(null, { status: 101, webSocket: client })
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const conn = this.hub.get(ws)
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
          return this.hub.close(conn, msg.subId)
      }
    } catch (err) {
      console.error('relay: message failed', err)
      conn.notice('error: internal error')
    }
  }

  async webSocketClose(ws: WebSocket, code: number) {
    this.hub.drop(ws)
    // Answer the client's Close frame (runtimes without automatic close replies need this).
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'bye')
    } catch {
      // already closed by the runtime
    }
  }

  async webSocketError(ws: WebSocket) {
    this.hub.drop(ws)
  }

  private async onEvent(conn: Connection, raw: unknown) {
    const id = eventIdOf(raw)
    if (id === null) return conn.notice('invalid: EVENT needs an event object with an id')
    const shapeError = checkEventShape(raw, this.config, nowSeconds())
    if (shapeError) return conn.ok(id, false, `invalid: ${shapeError}`)
    const event = raw as NostrEvent
    if (this.config.authRequired && !conn.isAuthed()) return conn.ok(id, false, 'auth-required: this relay requires NIP-42 authentication')
    const ms = Date.now()
    if (!conn.events.take(ms) || !this.ipEvents.take(conn.state.ip, ms)) return conn.ok(id, false, 'rate-limited: slow down')
    if (this.recent.has(id)) {
      // Re-sending a request is how a caller that missed the answer asks again; handlers answer
      // a request id once and repeat that answer (they check the signature themselves).
      if (kindClass(event.kind) === 'ephemeral') this.handlers.dispatch(canonicalEvent(event))
      return conn.ok(id, true, 'duplicate: already have this event')
    }
    if (isProtected(event) && !conn.isAuthed(event.pubkey)) {
      return conn.isAuthed()
        ? conn.ok(id, false, 'restricted: a protected event may only be published by its author')
        : conn.ok(id, false, 'auth-required: this event may only be published by its authenticated author')
    }
    const result = await this.ingest(event)
    conn.ok(id, result.accepted, result.message)
  }

  /**
   * RPC for the platform's own services (DVMs, the fs-bridge): publish an event as a client
   * would, minus the per-connection checks (auth, rate limits).
   */
  async publish(raw: NostrEvent): Promise<PublishResult> {
    const shapeError = checkEventShape(raw, this.config, nowSeconds())
    if (shapeError) return { accepted: false, message: `invalid: ${shapeError}` }
    if (this.recent.has(raw.id)) return { accepted: true, message: 'duplicate: already have this event' }
    return this.ingest(raw)
  }

  /**
   * RPC for the platform's own services (the fs-bridge reads grants, DVMs resolve events): stored
   * events matching a NIP-01 filter (wire form) or any of a list, newest first, once each, as a
   * REQ would return them before its EOSE. A filter a REQ would refuse throws.
   */
  async query(wire: Record<string, unknown> | Array<Record<string, unknown>>): Promise<NostrEvent[]> {
    const filters = (Array.isArray(wire) ? wire : [wire]).map((raw) => {
      const filter = parseFilter(raw)
      if ('error' in filter) throw new Error(filter.error)
      return filter
    })
    const now = nowSeconds()
    const byId = new Map<string, NostrEvent>()
    for (const rows of await Promise.all(filters.map((f) => this.store.query(f, this.limitOf(f), now)))) {
      for (const raw of rows) {
        const event = JSON.parse(raw) as NostrEvent
        byId.set(event.id, event)
      }
    }
    return [...byId.values()].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1))
  }

  /**
   * The rules every event meets after its shape: expiry, signature, storage, then delivery.
   * `signedHere` skips the signature check for events the relay has just signed itself.
   */
  private async ingest(event: NostrEvent, signedHere = false): Promise<PublishResult> {
    const id = event.id
    if (event.kind === AUTH_KIND) return { accepted: false, message: 'invalid: kind 22242 is only accepted in AUTH messages' }
    const expiration = expirationOf(event)
    if (expiration !== null && expiration <= nowSeconds()) return { accepted: false, message: 'invalid: event has expired' }
    if (!signedHere && !this.schnorr.verify(event)) return { accepted: false, message: 'invalid: bad event id or signature' }
    const clean = canonicalEvent(event)
    if (kindClass(event.kind) === 'ephemeral') {
      this.recent.add(id)
      this.hub.fanOut(clean, JSON.stringify(clean))
      this.handlers.dispatch(clean)
      return { accepted: true, message: '' }
    }
    let outcome
    try {
      outcome = await this.writes.submit(clean)
    } catch (err) {
      console.error('relay: storage write failed', err)
      return { accepted: false, message: 'error: could not store the event, try again' }
    }
    if (!outcome.stored) return { accepted: false, message: outcome.reason }
    this.recent.add(id)
    if (outcome.duplicate) return { accepted: true, message: 'duplicate: already have this event' }
    if (expiration !== null) await this.wakeAt(expiration * 1000, 'purge')
    // The OK goes out before routing: a job request's acknowledgement never waits on DVMs.
    void this.route(clean)
    this.handlers.dispatch(clean)
    return { accepted: true, message: '' }
  }

  /** Hands a stored event to the marketplace, then to live subscriptions unless it holds it back. */
  private async route(event: NostrEvent) {
    try {
      if (await this.marketplace.accept(event)) this.hub.fanOut(event, JSON.stringify(event))
    } catch (err) {
      console.error('relay: routing failed', err)
      this.hub.fanOut(event, JSON.stringify(event))
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
    if (!this.schnorr.verify(event)) return conn.ok(id, false, 'invalid: bad event id or signature')
    conn.addAuthed(event.pubkey)
    conn.ok(id, true, '')
  }

  private async onReq(conn: Connection, subId: string, filters: Filter[]) {
    if (this.config.authRequired && !conn.isAuthed()) return conn.closed(subId, 'auth-required: this relay requires NIP-42 authentication')
    if (!conn.reqs.take(Date.now())) return conn.closed(subId, 'rate-limited: too many subscriptions too fast')
    if (!conn.subs.has(subId) && conn.subs.size >= this.config.maxSubscriptions) {
      return conn.closed(subId, `blocked: at most ${this.config.maxSubscriptions} subscriptions per connection`)
    }
    const sub = this.hub.open(conn, subId, filters)
    const now = nowSeconds()
    try {
      const results = await Promise.all(filters.map((f) => this.store.query(f, this.limitOf(f), now)))
      this.hub.deliverHistory(conn, subId, sub, results)
    } catch (err) {
      console.error('relay: query failed', err)
      this.hub.close(conn, subId, sub)
      conn.closed(subId, 'error: could not read stored events')
    }
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

  /**
   * One alarm serves two clocks: NIP-40 purges (expired events stop being served at once;
   * the alarm deletes them) and the marketplace's job deadlines.
   */
  private async wakeAt(at: number, reason: 'purge' | 'jobs' = 'jobs') {
    if (reason === 'purge') this.nextPurge = Math.min(this.nextPurge ?? Infinity, at)
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at) await this.ctx.storage.setAlarm(at)
  }

  async alarm() {
    const now = Date.now()
    if (this.nextPurge === null || this.nextPurge <= now) {
      this.nextPurge = null
      const next = await this.store.purgeExpired(Math.floor(now / 1000))
      if (next !== null) await this.wakeAt(next * 1000, 'purge')
    }
    await this.marketplace.tick(now)
  }
}

/** Whether a frame's UTF-8 size exceeds `max`, encoding only when the length leaves it open. */
function exceeds(s: string, max: number): boolean {
  if (s.length > max) return true
  return s.length * 3 > max && new TextEncoder().encode(s).length > max
}
