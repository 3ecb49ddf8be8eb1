/**
 * Connections to a set of relays over nostr-tools' AbstractRelay. Each relay is connected on its
 * own and reconnected with backoff when it fails or drops; every subscription is opened on every
 * connection; every `OK` a relay sends is reported, late ones included. A relay's NIP-42
 * challenge is answered at once (our relay delivers addressed kinds only to the authenticated),
 * and what it refused as `auth-required:` is tried again once authenticated.
 */
import { AbstractRelay, type Subscription } from 'nostr-tools/abstract-relay'
import type { Filter } from 'nostr-tools/filter'
import { verifyEvent } from 'nostr-tools/pure'
import { normalizeURL } from 'nostr-tools/utils'
import type { VerifiedEvent } from 'nostr-tools/pure'
import type { WebSocketClass } from '../../nostr/pool'
import type { EventTemplate, NostrEvent } from '../../nostr/signer'

export interface ConnectionStatus {
  state: 'connecting' | 'open' | 'disconnected' | 'closed'
  /** Why the last connection failed or ended. */
  error?: string
  /** The relay's last NOTICE. */
  notice?: string
  /** NIP-42: the relay accepted our AUTH on this connection. */
  authenticated?: boolean
}

export interface SubscriptionStatus {
  id: string
  filters: Filter[]
  /** By relay URL: `active`, or why the relay or the connection ended it. */
  relays: Record<string, string>
}

export interface RelayHandlers {
  /** Whether an event id is already held, so a replay need not be parsed and verified again. */
  seen(id: string): boolean
  /** A verified event matching the subscription's filters. */
  event(event: NostrEvent): void
  /** An event that did not verify or did not match the filters it was sent for. */
  invalid(): void
  ok(url: string, id: string, accepted: boolean, message: string): void
  /** The relay is ready for events: connected, and again once authenticated. */
  ready(url: string): void
  /** Signs a NIP-42 AUTH event. */
  signAuth(template: EventTemplate): Promise<NostrEvent>
}

export interface RelaySetOptions {
  /** A WebSocket class (`ws` in Node 20); the global WebSocket when none is given. */
  WebSocket?: WebSocketClass
  /** ms; default 10 s. */
  connectTimeout?: number
  /** ms to wait for `OK`; default 15 s. An `OK` arriving later is still reported. */
  publishTimeout?: number
}

/** Waits before reconnect attempts, in ms; the last repeats. */
const RECONNECT_DELAYS = [1_000, 2_000, 5_000, 10_000, 30_000]
const OK_FRAME = /^\s*\[\s*"OK"/

/** An AbstractRelay that reports every `OK`, not only those a pending publish still waits for. */
class RelayLink extends AbstractRelay {
  onok: (id: string, accepted: boolean, message: string) => void = () => {}

  override _onmessage(ev: MessageEvent): void {
    if (typeof ev.data === 'string' && OK_FRAME.test(ev.data)) {
      try {
        const [, id, accepted, message] = JSON.parse(ev.data) as unknown[]
        if (typeof id === 'string') this.onok(id, accepted === true, typeof message === 'string' ? message : '')
      } catch {
        // Not JSON: nostr-tools reports it below.
      }
    }
    super._onmessage(ev)
  }
}

interface Connection extends ConnectionStatus {
  url: string
  link?: RelayLink
  /** The id of the AUTH event sent on this connection. */
  authId?: string
  attempts: number
  retry?: ReturnType<typeof setTimeout>
}

interface Wanted {
  filters: Filter[]
  open: Map<string, Subscription>
  states: Map<string, string>
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

export class RelaySet {
  readonly urls: string[]
  private readonly connections = new Map<string, Connection>()
  private readonly wanted = new Map<string, Wanted>()
  private closed = false

  constructor(
    urls: string[],
    private readonly handlers: RelayHandlers,
    private readonly options: RelaySetOptions = {},
  ) {
    this.urls = [...new Set(urls.map(normalizeURL))]
    for (const url of this.urls) {
      if (!/^wss?:\/\//.test(url)) throw new TypeError(`not a relay URL: ${url}`)
      this.connections.set(url, { url, state: 'connecting', attempts: 0 })
    }
  }

  start(): void {
    for (const c of this.connections.values()) void this.connect(c)
  }

  private async connect(c: Connection): Promise<void> {
    if (this.closed) return
    const link = new RelayLink(c.url, {
      verifyEvent,
      websocketImplementation: this.options.WebSocket as typeof WebSocket | undefined,
    })
    link.publishTimeout = this.options.publishTimeout ?? 15_000
    link.onnotice = (notice) => (c.notice = notice)
    link.onauth = async (template) => {
      const event = await this.handlers.signAuth(template)
      // Closed while signing: never answer, as nostr-tools would send on the closed socket and leave the rejection unhandled.
      if (c.link !== link || !link.connected) return new Promise<never>(() => {})
      c.authId = event.id
      return event as VerifiedEvent
    }
    link.onok = (id, accepted, message) => {
      if (id !== c.authId) this.handlers.ok(c.url, id, accepted, message)
      else if (accepted && c.link === link) this.authenticated(c)
    }
    link.onclose = () => this.lost(c, link, 'connection closed')
    c.link = link
    c.state = 'connecting'
    c.authenticated = false
    delete c.authId
    try {
      await link.connect({ timeout: this.options.connectTimeout ?? 10_000 })
    } catch (error) {
      this.lost(c, link, reasonOf(error))
      return
    }
    if (this.closed) return link.close()
    if (c.link !== link) return
    c.state = 'open'
    c.attempts = 0
    delete c.error
    for (const [id, w] of this.wanted) this.openOn(c, id, w)
    this.handlers.ready(c.url)
  }

  private authenticated(c: Connection): void {
    c.authenticated = true
    for (const [id, w] of this.wanted) if (w.states.get(c.url)?.startsWith('auth-required:')) this.openOn(c, id, w)
    this.handlers.ready(c.url)
  }

  /** The connection `link` failed or ended: try again later, unless closed (or already handled). */
  private lost(c: Connection, link: RelayLink, reason: string): void {
    if (c.link !== link) return
    c.link = undefined
    for (const w of this.wanted.values()) {
      w.open.delete(c.url)
      w.states.set(c.url, this.closed ? 'closed' : 'waiting for the connection')
    }
    if (this.closed) return
    c.state = 'disconnected'
    c.error = reason
    c.retry = setTimeout(() => void this.connect(c), RECONNECT_DELAYS[Math.min(c.attempts++, RECONNECT_DELAYS.length - 1)])
  }

  private openOn(c: Connection, id: string, w: Wanted): void {
    const sub = c.link!.subscribe(
      w.filters.map((f) => ({ ...f })),
      {
        label: id,
        alreadyHaveEvent: (eventId) => this.handlers.seen(eventId),
        onevent: (event) => this.handlers.event(event),
        oninvalidevent: () => this.handlers.invalid(),
        onclose: (reason) => {
          if (w.open.get(c.url) !== sub) return
          w.open.delete(c.url)
          w.states.set(c.url, reason)
        },
      },
    )
    w.open.set(c.url, sub)
    w.states.set(c.url, 'active')
  }

  /** Opens (or replaces) subscription `id` on every relay, now and after each reconnection. */
  subscribe(id: string, filters: Filter[]): void {
    this.unsubscribe(id)
    const w: Wanted = { filters, open: new Map(), states: new Map() }
    this.wanted.set(id, w)
    for (const c of this.connections.values()) {
      if (c.state === 'open') this.openOn(c, id, w)
      else w.states.set(c.url, 'waiting for the connection')
    }
  }

  unsubscribe(id: string): boolean {
    const w = this.wanted.get(id)
    if (!w) return false
    this.wanted.delete(id)
    const subs = [...w.open.values()]
    w.open.clear()
    for (const sub of subs) sub.close()
    return true
  }

  has(id: string): boolean {
    return this.wanted.has(id)
  }

  isOpen(url: string): boolean {
    return this.connections.get(url)?.state === 'open'
  }

  /** Sends `event`; rejects when no `OK` came (not connected, timeout, connection lost) and when the `OK` said no. */
  async publish(url: string, event: NostrEvent): Promise<void> {
    const link = this.connections.get(url)?.link
    if (!link?.connected) throw new Error('not connected')
    await link.publish(event)
  }

  status(): Record<string, ConnectionStatus> {
    return Object.fromEntries(
      [...this.connections.values()].map((c) => [
        c.url,
        { state: c.state, authenticated: c.authenticated ?? false, ...(c.error ? { error: c.error } : {}), ...(c.notice ? { notice: c.notice } : {}) },
      ]),
    )
  }

  subscriptions(): SubscriptionStatus[] {
    return [...this.wanted].map(([id, w]) => ({ id, filters: w.filters, relays: Object.fromEntries(w.states) }))
  }

  close(): void {
    this.closed = true
    for (const c of this.connections.values()) {
      clearTimeout(c.retry)
      c.state = 'closed'
      // A connection still being made is closed once made: `ws` throws when closed before that.
      if (c.link?.connected) c.link.close()
    }
  }
}
