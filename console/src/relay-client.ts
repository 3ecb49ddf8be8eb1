/**
 * The console's connection to the relay, a plain NIP-01 client over the page's WebSocket. It
 * says what state it is in (the page shows it), reconnects with backoff and asks again for
 * the subscriptions still open. Events come from the relay that verified them.
 */
import type { NostrEvent } from '../../relay/protocol/event'
import type { Filter } from 'nostr-tools/filter'

export type { Filter }
/** `offline`: the connection failed or dropped; it is being tried again. */
export type ConnectionState = 'connecting' | 'open' | 'offline'

export interface SubscriptionHandlers {
  onevent(e: NostrEvent): void
  oneose?(): void
  onclosed?(reason: string): void
}

export interface PublishResult {
  accepted: boolean
  message: string
}

const BACKOFF_MS = [1000, 2000, 5000, 10_000]

export class RelayClient {
  state: ConnectionState = 'connecting'
  private ws?: WebSocket
  private attempts = 0
  private serial = 0
  private readonly subs = new Map<string, { filters: Filter[]; handlers: SubscriptionHandlers }>()
  private readonly pending = new Map<string, (r: PublishResult) => void>()
  private readonly listeners = new Set<(s: ConnectionState) => void>()

  constructor(readonly url: string) {
    this.connect()
  }

  /** Calls `listener` now and on every change of state; returns how to stop. */
  watch(listener: (s: ConnectionState) => void): () => void {
    this.listeners.add(listener)
    listener(this.state)
    return () => this.listeners.delete(listener)
  }

  /** A REQ kept open (and renewed after reconnecting) until the returned function is called. */
  subscribe(filters: Filter[], handlers: SubscriptionHandlers): () => void {
    const id = `c${++this.serial}`
    this.subs.set(id, { filters, handlers })
    this.send(['REQ', id, ...filters])
    return () => {
      if (this.subs.delete(id)) this.send(['CLOSE', id])
    }
  }

  /** Stored events only: a REQ closed at EOSE. */
  query(filters: Filter[]): Promise<NostrEvent[]> {
    return new Promise((resolve, reject) => {
      const got: NostrEvent[] = []
      const close = this.subscribe(filters, {
        onevent: (e) => got.push(e),
        oneose: () => {
          close()
          resolve(got)
        },
        onclosed: (reason) => reject(new Error(reason)),
      })
    })
  }

  publish(event: NostrEvent): Promise<PublishResult> {
    if (this.state !== 'open') return Promise.resolve({ accepted: false, message: 'error: the relay is unreachable' })
    return new Promise((resolve) => {
      this.pending.set(event.id, resolve)
      this.send(['EVENT', event])
    })
  }

  private connect() {
    const ws = new WebSocket(this.url)
    this.ws = ws
    ws.onopen = () => {
      this.attempts = 0
      this.setState('open')
      for (const [id, sub] of this.subs) this.send(['REQ', id, ...sub.filters])
    }
    ws.onmessage = (m) => this.receive(String(m.data))
    ws.onclose = () => {
      this.setState('offline')
      for (const resolve of this.pending.values()) resolve({ accepted: false, message: 'error: the connection closed before the relay answered' })
      this.pending.clear()
      setTimeout(() => this.connect(), BACKOFF_MS[Math.min(this.attempts++, BACKOFF_MS.length - 1)])
    }
  }

  private receive(data: string) {
    let msg: unknown
    try {
      msg = JSON.parse(data)
    } catch {
      return
    }
    if (!Array.isArray(msg)) return
    const [type, a, b, c] = msg
    const sub = typeof a === 'string' ? this.subs.get(a) : undefined
    if (type === 'EVENT') sub?.handlers.onevent(b as NostrEvent)
    else if (type === 'EOSE') sub?.handlers.oneose?.()
    else if (type === 'CLOSED' && sub) {
      this.subs.delete(a)
      sub.handlers.onclosed?.(String(b ?? ''))
    } else if (type === 'OK') {
      this.pending.get(a)?.({ accepted: b === true, message: String(c ?? '') })
      this.pending.delete(a)
    }
  }

  private send(msg: unknown[]) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg))
  }

  private setState(state: ConnectionState) {
    this.state = state
    for (const l of this.listeners) l(state)
  }
}
