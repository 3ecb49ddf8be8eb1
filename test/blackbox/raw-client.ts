/**
 * A WebSocket client speaking raw NIP-01 frames. Every frame received is kept in `frames`;
 * `next` consumes the first not-yet-consumed frame matching a predicate, waiting if needed.
 */
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import WebSocket from 'ws'
import type { Event } from 'nostr-tools/pure'

// Frames are whatever the relay sent; tests index into them freely.
export type Frame = any[]
type Pred = (f: Frame) => boolean

let serial = 0
const nextSubId = () => `q${++serial}-${randomUUID().slice(0, 8)}`

export class RawClient {
  readonly frames: Frame[] = []
  private readonly queue: Frame[] = []
  private waiters: Array<{ pred: Pred; resolve: (f: Frame) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }> = []
  challenge = ''
  closed: { code: number; reason: string } | null = null

  private constructor(
    readonly ws: WebSocket,
    readonly url: string,
  ) {
    ws.on('message', (data) => this.onFrame(data.toString()))
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
      for (const w of this.waiters.splice(0)) {
        clearTimeout(w.timer)
        w.reject(new Error(`socket closed (${code}) while waiting for a frame`))
      }
    })
  }

  /** Opens a socket and waits for the relay's NIP-42 challenge, which it sends on connect. */
  static async connect(url: string): Promise<RawClient> {
    const client = new RawClient(new WebSocket(url), url)
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve())
      client.ws.once('error', reject)
    })
    const auth = await client.next((f) => f[0] === 'AUTH')
    client.challenge = auth[1]
    return client
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN
  }

  private onFrame(text: string) {
    let f: Frame
    try {
      f = JSON.parse(text)
    } catch {
      f = ['<not json>', text]
    }
    this.frames.push(f)
    const i = this.waiters.findIndex((w) => w.pred(f))
    if (i < 0) return void this.queue.push(f)
    const [w] = this.waiters.splice(i, 1)
    clearTimeout(w.timer)
    w.resolve(f)
  }

  next(pred: Pred, timeoutMs = 10_000): Promise<Frame> {
    const i = this.queue.findIndex(pred)
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0])
    if (this.closed) return Promise.reject(new Error(`socket closed (${this.closed.code})`))
    return new Promise((resolve, reject) => {
      const w = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w)
          reject(new Error(`no matching frame within ${timeoutMs} ms; last frames: ${JSON.stringify(this.frames.slice(-4)).slice(0, 600)}`))
        }, timeoutMs),
      }
      this.waiters.push(w)
    })
  }

  send(msg: unknown) {
    this.ws.send(JSON.stringify(msg))
  }

  sendText(text: string) {
    this.ws.send(text, { binary: false })
  }

  sendBinary(data: Uint8Array) {
    this.ws.send(data, { binary: true })
  }

  /** Sends an EVENT and returns the relay's OK as [accepted, message]. */
  async publish(event: unknown, verb = 'EVENT'): Promise<[boolean, string]> {
    const id = (event as { id: string }).id
    this.send([verb, event])
    const ok = await this.next((f) => f[0] === 'OK' && f[1] === id)
    return [ok[2], ok[3]]
  }

  /** Publishes all events at once and expects every one accepted. */
  async publishAll(events: Event[]) {
    const results = await Promise.all(events.map((e) => this.publish(e)))
    expect(results).toEqual(events.map(() => [true, '']))
  }

  auth(event: Event): Promise<[boolean, string]> {
    return this.publish(event, 'AUTH')
  }

  nextEvent(subId: string, id?: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f[0] === 'EVENT' && f[1] === subId && (id === undefined || f[2]?.id === id), timeoutMs)
  }

  /** Reads a subscription's stored events up to EOSE, or up to a CLOSED (returned as `closed`). */
  async collect(subId: string, timeoutMs?: number): Promise<{ events: Event[]; closed?: string }> {
    const events: Event[] = []
    for (;;) {
      const f = await this.next((x) => ['EVENT', 'EOSE', 'CLOSED'].includes(x[0]) && x[1] === subId, timeoutMs)
      if (f[0] === 'EVENT') events.push(f[2])
      else if (f[0] === 'EOSE') return { events }
      else return { events, closed: f[2] }
    }
  }

  /** Opens a subscription and returns its stored events (up to EOSE); it stays open. */
  async subscribe(subId: string, ...filters: unknown[]): Promise<Event[]> {
    this.send(['REQ', subId, ...filters])
    const { events, closed } = await this.collect(subId)
    if (closed !== undefined) throw new Error(`subscription ${subId} closed: ${closed}`)
    return events
  }

  /** A one-off query: REQ, events up to EOSE, CLOSE. */
  async query(...filters: unknown[]): Promise<Event[]> {
    const subId = nextSubId()
    const events = await this.subscribe(subId, ...filters)
    this.send(['CLOSE', subId])
    return events
  }

  /** Sends a REQ expected to be refused; returns the CLOSED message (fails on EOSE). */
  async refusedReq(subId: string, ...filters: unknown[]): Promise<string> {
    this.send(['REQ', subId, ...filters])
    const { events, closed } = await this.collect(subId)
    expect(events).toEqual([])
    expect(closed, 'expected CLOSED, got EOSE').toBeTypeOf('string')
    return closed!
  }

  /** Sends COUNT; resolves to the COUNT payload or to { closed } if refused. */
  async count(...filters: unknown[]): Promise<{ count?: number; closed?: string }> {
    const subId = nextSubId()
    this.send(['COUNT', subId, ...filters])
    const f = await this.next((x) => (x[0] === 'COUNT' || x[0] === 'CLOSED') && x[1] === subId)
    return f[0] === 'COUNT' ? f[2] : { closed: f[2] }
  }

  /**
   * Consumes the subscription's EVENT frames up to and including the marker event; returns the
   * ids that came before it. Events published before the marker arrive before it if at all.
   */
  async idsBefore(subId: string, markerId: string, timeoutMs?: number): Promise<string[]> {
    const seen: string[] = []
    for (;;) {
      const f = await this.nextEvent(subId, undefined, timeoutMs)
      if (f[2].id === markerId) return seen
      seen.push(f[2].id)
    }
  }

  /** Starts a close handshake; gives up on it after a bounded wait and drops the connection. */
  async close(waitMs = 3000) {
    if (this.ws.readyState === WebSocket.CLOSED) return
    const done = new Promise((resolve) => this.ws.once('close', resolve))
    this.ws.close(1000)
    const timer = setTimeout(() => this.ws.terminate(), waitMs)
    await done
    clearTimeout(timer)
  }

  /** Drops the connection without a close handshake. */
  async terminate() {
    if (this.ws.readyState === WebSocket.CLOSED) return
    const done = new Promise((resolve) => this.ws.once('close', resolve))
    this.ws.terminate()
    await done
  }
}
