/**
 * The fs-bridge client's transport: requests go out by writing to NostrFs's `submit`, answers come
 * in through its `inbox`, relay refusals show in `sent/`, and `status` says whether a relay can
 * carry anything. So every operation is a signed event in the agent's own outbox, and the same
 * code works over any FileService laid out like /cap/nostr. A request's id is known before it is
 * submitted (the id does not depend on the signature), so its answer can be waited for by id.
 */
import { getEventHash } from 'nostr-tools/pure'
import { FsError } from '../../fs/error'
import { readJson, readText, writeFile } from '../../fs/io'
import type { FileService } from '../../fs/types'
import { cipherOf, type EventTemplate, type NostrEvent, type Signer } from '../../nostr/signer'
import { answerOf, requestTemplate } from './events'
import { connectivity, finalRefusal, type SentFile, type StatusFile } from './nostr-state'
import { fsErrorOf, readNotification, readResponse, requestBody, type Op, type Result } from './protocol'

export interface LinkOptions {
  /** The bridge's public key (hex). */
  bridge: string
  /** NostrFs, or a FileService with its layout (submit, inbox/, sent/, outbox/, status, identity/). */
  nostr: FileService
  /** The signer NostrFs signs with: it encrypts requests to the bridge and decrypts answers (NIP-44). */
  signer: Signer
  /** ms to wait for a relay connection, and then for an answer. */
  timeout: number
}

export interface WatchListener {
  notify(n: NonNullable<ReturnType<typeof readNotification>>): void
  /** The relay went away: notifications may be lost until it is back. */
  lost(reason: string): void
  /** The relay is back after a loss: some notifications may have been missed. */
  resumed(): void
}

interface Pending {
  type: 'request' | 'publish'
  path?: string
  resolve(value: unknown): void
  reject(error: FsError): void
  timer: ReturnType<typeof setTimeout>
}

/** ms between looks at `status` while requests or watches are open; and while waiting to connect. */
const MONITOR_MS = 500
const POLL_MS = 50
/** ms an open but unauthenticated connection is given to authenticate before requests go out anyway. */
const AUTH_GRACE_MS = 1000
/** Rate-limited requests are sent again up to RETRIES times, after RETRY_MS, then twice that, and so on. */
const RETRIES = 3
const RETRY_MS = 1000

const seconds = () => Math.floor(Date.now() / 1000)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const idOf = (path: string) => /^\/(?:inbox|sent)\/([0-9a-f]{64})\.json$/.exec(path)?.[1]
const unref = (timer: unknown) => (timer as { unref?: () => void }).unref?.()

export class BridgeLink {
  private readonly pending = new Map<string, Pending>()
  private readonly listeners = new Map<string, WatchListener>()
  private readonly stops: Array<() => void> = []
  private started?: Promise<string>
  /** Arrivals are read one after another, so a watch's notifications are seen in order. */
  private arrivals: Promise<void> = Promise.resolve()
  private monitor?: ReturnType<typeof setInterval>
  private down = false
  private unauthenticatedOk = false
  private closed = false

  constructor(private readonly o: LinkOptions) {}

  /** Checks the signer is NostrFs's and starts listening; once. Resolves to the caller's pubkey. */
  private start(): Promise<string> {
    this.started ??= (async () => {
      const { nostr, signer } = this.o
      if (!nostr.watch) throw new FsError('io', 'the Nostr transport cannot be watched, so answers would go unheard')
      if (!signer.nip44) throw new FsError('io', 'the signer cannot encrypt with NIP-44, which the bridge needs')
      const pubkey = (await readText(nostr, '/identity/pubkey')).trim()
      if ((await signer.getPublicKey()) !== pubkey) throw new FsError('io', 'the signer is not the one the Nostr transport signs with')
      this.stops.push(nostr.watch('/inbox', (c) => c.type === 'create' && this.arrived(c.path)))
      this.stops.push(nostr.watch('/sent', (c) => c.type !== 'delete' && void this.sentChanged(c.path)))
      return pubkey
    })().catch((err) => {
      this.started = undefined
      throw err
    })
    return this.started
  }

  /**
   * One operation on namespace `ns`: resolves to its result, rejects with the bridge's refusal as
   * an FsError. A request the bridge turned away as rate-limited (it did not run) is sent again,
   * as a new request, after a pause. `onId` hears the id of each request sent.
   */
  async request(op: Op, ns: string, path: string, args: Record<string, unknown> = {}, onId?: (id: string) => void): Promise<Result> {
    const me = await this.start()
    const deadline = Date.now() + this.o.timeout
    for (let attempt = 0; ; attempt++) {
      await this.connected(path)
      const content = await cipherOf(this.o.signer, 'nip44')
        .encrypt(this.o.bridge, requestBody(op, ns, path, args))
        .catch((err: unknown) => {
          throw new FsError('io', `cannot encrypt to the bridge key: ${err instanceof Error ? err.message : String(err)}`, path)
        })
      try {
        return (await this.send(me, requestTemplate(this.o.bridge, content, seconds()), 'request', path, onId)) as Result
      } catch (err) {
        const pause = RETRY_MS * 2 ** attempt
        if (!FsError.is(err, 'rate-limited') || attempt >= RETRIES || Date.now() + pause > deadline) throw err
        await sleep(pause)
      }
    }
  }

  /** Publishes an event of the caller's (a grant); resolves to its id once a relay accepted it. */
  async publish(template: EventTemplate): Promise<string> {
    const me = await this.start()
    await this.connected()
    return (await this.send(me, template, 'publish')) as string
  }

  /** Routes notifications of watch `id` (the id of the watch request) to `listener`. */
  listen(id: string, listener: WatchListener): () => void {
    this.listeners.set(id, listener)
    this.watchConnection()
    return () => this.listeners.delete(id)
  }

  private async send(me: string, template: EventTemplate, type: Pending['type'], path?: string, onId?: (id: string) => void): Promise<unknown> {
    if (this.closed) throw new FsError('unavailable', 'the remote file service is closed', path)
    const id = getEventHash({ ...template, pubkey: me })
    onId?.(id)
    const answered = new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, new FsError('unavailable', `no answer within ${this.o.timeout / 1000} s (the request may still run)`, path)), this.o.timeout)
      this.pending.set(id, { type, path, resolve, reject, timer })
    })
    this.watchConnection()
    try {
      await writeFile(this.o.nostr, '/submit', JSON.stringify(template))
    } catch (err) {
      clearTimeout(this.pending.get(id)?.timer)
      this.pending.delete(id)
      throw FsError.is(err) ? new FsError(err.code, err.detail, path) : err
    }
    return answered
  }

  private settle(id: string): Pending | undefined {
    const p = this.pending.get(id)
    if (!p) return undefined
    clearTimeout(p.timer)
    this.pending.delete(id)
    return p
  }

  /** Ends a request with `error`, and takes it out of the outbox if it is still there. */
  private fail(id: string, error: FsError): void {
    const p = this.settle(id)
    if (!p) return
    p.reject(error)
    this.o.nostr.remove(`/outbox/${id}.json`).catch(() => {})
  }

  private arrived(path: string): void {
    const id = idOf(path)
    if (!id) return
    this.arrivals = this.arrivals.then(() => this.read(id)).catch(() => {})
  }

  private async read(eventId: string): Promise<void> {
    const event = await readJson<NostrEvent>(this.o.nostr, `/inbox/${eventId}.json`)
    const answer = answerOf(event, this.o.bridge)
    if (!answer) return
    const p = answer.type === 'response' ? this.pending.get(answer.to) : undefined
    const listener = answer.type === 'notification' ? this.listeners.get(answer.to) : undefined
    if ((!p || p.type !== 'request') && !listener) return
    let plaintext: string
    try {
      plaintext = await cipherOf(this.o.signer, 'nip44').decrypt(this.o.bridge, event.content)
    } catch {
      if (p) this.fail(answer.to, new FsError('io', 'the bridge answered with content that does not decrypt', p.path))
      return
    }
    if (listener) {
      const n = readNotification(plaintext)
      if (n) listener.notify(n)
      return
    }
    const body = readResponse(plaintext)
    if (!body) return this.fail(answer.to, new FsError('io', 'the bridge answered with something that is not a response', p!.path))
    if (!body.ok) return this.fail(answer.to, fsErrorOf(body.error, p!.path))
    this.settle(answer.to)?.resolve(body.result)
  }

  private async sentChanged(path: string): Promise<void> {
    const id = idOf(path)
    const p = id && this.pending.get(id)
    if (!id || !p) return
    const sent = await readJson<SentFile>(this.o.nostr, path).catch(() => null)
    if (!sent) return
    if (p.type === 'publish' && sent.state === 'accepted') return void this.settle(id)?.resolve(id)
    const refusal = finalRefusal(sent, p.path)
    if (refusal) this.fail(id, refusal)
  }

  private status(): Promise<StatusFile> {
    return readJson<StatusFile>(this.o.nostr, '/status').catch(() => ({ status: 'closed' }))
  }

  /** Waits for a relay that can carry a request; `unavailable` when there is none, or none within the timeout. */
  private async connected(path?: string): Promise<void> {
    const deadline = Date.now() + this.o.timeout
    let openSince: number | undefined
    for (;;) {
      const c = connectivity(await this.status())
      if (c.state === 'up') return
      if (c.state === 'down') throw new FsError('unavailable', c.reason, path)
      if (c.state === 'open') {
        openSince ??= Date.now()
        if (this.unauthenticatedOk || Date.now() - openSince >= AUTH_GRACE_MS) return void (this.unauthenticatedOk = true)
      }
      if (Date.now() >= deadline) throw new FsError('unavailable', `no relay connection within ${this.o.timeout / 1000} s`, path)
      await sleep(POLL_MS)
    }
  }

  /** While requests or watches are open, notices a lost relay: requests end `unavailable`, watches hear of it. */
  private watchConnection(): void {
    if (this.monitor || this.closed) return
    this.monitor = setInterval(() => void this.check(), MONITOR_MS)
    unref(this.monitor)
  }

  private async check(): Promise<void> {
    if (this.pending.size === 0 && this.listeners.size === 0) {
      clearInterval(this.monitor)
      this.monitor = undefined
      return
    }
    const c = connectivity(await this.status())
    if (c.state === 'down') {
      for (const id of [...this.pending.keys()]) this.fail(id, new FsError('unavailable', `lost the relay: ${c.reason}`, this.pending.get(id)?.path))
      if (!this.down) for (const l of this.listeners.values()) l.lost(c.reason)
      this.down = true
    } else if (c.state !== 'connecting' && this.down) {
      this.down = false
      for (const l of this.listeners.values()) l.resumed()
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearInterval(this.monitor)
    this.stops.splice(0).forEach((stop) => stop())
    for (const id of [...this.pending.keys()]) this.fail(id, new FsError('unavailable', 'the remote file service was closed', this.pending.get(id)?.path))
    this.listeners.clear()
  }
}
