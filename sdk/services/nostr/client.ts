/**
 * What NostrFs shows as files: an identity that signs, an outbox sent to every relay until one
 * accepts, an inbox fed by subscriptions, and the agent's NIP-90 jobs. Reports each change of the
 * tree through `onChange`.
 */
import { verifyEvent } from 'nostr-tools/pure'
import { npubEncode } from 'nostr-tools/nip19'
import { FEEDBACK_KIND, isJobRequestKind } from '../../dvm/kinds'
import { FsError } from '../../fs/error'
import { toText } from '../../fs/io'
import type { Change } from '../../fs/types'
import type { EventTemplate, NostrEvent, Signer } from '../../nostr/signer'
import { readSubscriptionCommand } from './filters'
import { Inbox, plain } from './inbox'
import { JobBook } from './jobs'
import { Outbox, type OutboxChange } from './outbox'
import { RelaySet, type RelaySetOptions } from './relays'
import { requestTemplate, submitTemplate } from './templates'

export interface NostrFsLimits {
  /** Inbox events kept (the oldest leaves first); default 1000. */
  inbox?: number
  /** Jobs followed under jobs/ (the oldest leaves first); default 200. */
  jobs?: number
  /** Sent records kept for events that left the outbox; default 1000. */
  sent?: number
}

export interface NostrFsOptions extends RelaySetOptions {
  signer: Signer
  /** Relay URLs (ws:// or wss://). None is allowed: events then wait in the outbox. */
  relays: string[]
  /** Unix seconds from which events addressed to the agent (#p) are fetched; default: when created. */
  since?: number
  limits?: NostrFsLimits
}

/** Built-in subscriptions: events `p`-tagging the agent, and answers to its jobs. */
const INBOX_SUB = 'inbox'
const JOBS_SUB = 'jobs'
/** Job requests written within this many ms share one re-subscription. */
const JOBS_RESUBSCRIBE_DELAY = 250

const nowSeconds = () => Math.floor(Date.now() / 1000)
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** JSON written to a control file, read by `build`; any problem is an FsError and changes nothing. */
function readControl<T>(data: Uint8Array, path: string, build: (json: unknown) => T): T {
  let json: unknown
  try {
    json = JSON.parse(toText(data))
  } catch {
    throw new FsError('invalid-argument', `invalid ${path.slice(1)}: not JSON`, path)
  }
  try {
    return build(json)
  } catch (error) {
    throw new FsError('invalid-argument', `invalid ${path.slice(1)}: ${messageOf(error)}`, path)
  }
}

export class NostrClient {
  readonly npub: string
  readonly outbox: Outbox
  readonly inbox: Inbox
  readonly jobs: JobBook
  readonly relays: RelaySet
  onChange: (change: Change) => void = () => {}
  /** Ids of the last events written through `submit` and `request`. */
  lastSubmitted = ''
  lastRequested = ''
  private rejected = 0
  private userSubscriptions = 0
  private jobsTimer?: ReturnType<typeof setTimeout>
  private closed = false

  constructor(
    readonly pubkey: string,
    private readonly signer: Signer,
    options: Omit<NostrFsOptions, 'signer'>,
  ) {
    this.npub = npubEncode(pubkey)
    this.inbox = new Inbox(options.limits?.inbox ?? 1000)
    this.jobs = new JobBook(options.limits?.jobs ?? 200)
    this.outbox = new Outbox(options.limits?.sent ?? 1000)
    this.relays = new RelaySet(options.relays, {
      seen: (id) => this.inbox.has(id),
      event: (event) => this.receive(event),
      invalid: () => this.rejected++,
      ok: (url, id, accepted, message) => this.delivered(id, this.outbox.answer(url, id, accepted, message, nowSeconds())),
      ready: (url) => this.pump(url),
      signAuth: (template) => this.signer.signEvent(template),
    }, options)
    this.relays.subscribe(INBOX_SUB, [{ '#p': [pubkey], since: options.since ?? nowSeconds() }])
    this.relays.start()
  }

  private emit(type: Change['type'], path: string): void {
    this.onChange({ type, path })
  }

  private writable(path: string): void {
    if (this.closed) throw new FsError('unavailable', 'NostrFs is closed', path)
  }

  async submit(data: Uint8Array): Promise<void> {
    this.writable('/submit')
    const template = readControl(data, '/submit', (json) => submitTemplate(json, nowSeconds()))
    this.lastSubmitted = this.queue(await this.sign(template, '/submit'))
  }

  async request(data: Uint8Array): Promise<void> {
    this.writable('/request')
    const template = readControl(data, '/request', (json) => requestTemplate(json, { now: nowSeconds(), relays: this.relays.urls }))
    this.lastRequested = this.queue(await this.sign(template, '/request'))
  }

  /** `subscriptions`: a filter (or list) opens `sub-N`; `{"close": id}` closes one the agent opened. */
  subscriptions(data: Uint8Array): void {
    this.writable('/subscriptions')
    const command = readControl(data, '/subscriptions', readSubscriptionCommand)
    if ('open' in command) {
      this.relays.subscribe(`sub-${++this.userSubscriptions}`, command.open)
    } else if (command.close === INBOX_SUB || command.close === JOBS_SUB) {
      throw new FsError('permission-denied', `"${command.close}" is built in`, '/subscriptions')
    } else if (!this.relays.unsubscribe(command.close)) {
      throw new FsError('not-found', `no subscription "${command.close}"`, '/subscriptions')
    }
    this.emit('modify', '/subscriptions')
  }

  /** Drops a queued event unsent (what relays already said stays in sent/). */
  withdraw(id: string): void {
    if (!this.outbox.withdraw(id)) throw new FsError('not-found', 'not in the outbox', `/outbox/${id}.json`)
  }

  private async sign(template: EventTemplate, path: string): Promise<NostrEvent> {
    let event: NostrEvent
    try {
      event = await this.signer.signEvent(template)
    } catch (error) {
      throw new FsError('permission-denied', `the signer refused: ${messageOf(error)}`, path)
    }
    if (event?.pubkey !== this.pubkey || !verifyEvent(event)) throw new FsError('io', 'the signer returned an event that does not verify', path)
    return plain(event)
  }

  private queue(event: NostrEvent): string {
    this.outbox.queue(event)
    this.emit('create', `/outbox/${event.id}.json`)
    if (isJobRequestKind(event.kind)) {
      const evicted = this.jobs.add(event)
      this.emit('create', `/jobs/${event.id}`)
      for (const id of evicted) this.emit('delete', `/jobs/${id}`)
      this.resubscribeJobs()
    }
    for (const url of this.relays.urls) this.pump(url)
    return event.id
  }

  /** Sends `url` what it has not answered yet. */
  private pump(url: string): void {
    if (!this.relays.isOpen(url)) return
    for (const event of this.outbox.take(url)) {
      // An OK arrives through the relay set's `ok` handler; a rejection without one is a failed send.
      this.relays.publish(url, event).catch((error) => this.delivered(event.id, this.outbox.fail(url, event.id, messageOf(error), nowSeconds())))
    }
  }

  private delivered(id: string, change: OutboxChange | undefined): void {
    if (!change) return
    this.emit(change.created ? 'create' : 'modify', `/sent/${id}.json`)
    if (change.left) this.emit('delete', `/outbox/${id}.json`)
    for (const old of change.evicted) this.emit('delete', `/sent/${old}.json`)
  }

  private resubscribeJobs(): void {
    if (this.jobsTimer !== undefined) return
    this.jobsTimer = setTimeout(() => {
      this.jobsTimer = undefined
      if (this.closed) return
      // No `since`: answers that came before this subscription are fetched too.
      this.relays.subscribe(JOBS_SUB, [{ kinds: [...this.jobs.resultKinds(), FEEDBACK_KIND], '#e': this.jobs.ids() }])
    }, JOBS_RESUBSCRIBE_DELAY)
  }

  private receive(event: NostrEvent): void {
    const outcome = this.inbox.add(event)
    if ('rejected' in outcome) return
    const { added, evicted } = outcome
    this.emit('create', `/inbox/${added.id}.json`)
    for (const id of evicted) this.emit('delete', `/inbox/${id}.json`)
    const answer = this.jobs.answer(added)
    if (!answer) return
    const job = `/jobs/${answer.job.request.id}`
    const folder = answer.type === 'feedback' ? 'feedback' : 'results'
    this.emit('create', `${job}/${folder}/${answer.name}.json`)
    if (answer.evicted) this.emit('delete', `${job}/feedback/${answer.evicted}.json`)
    this.emit('modify', `${job}/status`)
  }

  status(): Record<string, unknown> {
    return {
      status: this.closed ? 'closed' : 'ready',
      pubkey: this.pubkey,
      npub: this.npub,
      outbox_count: this.outbox.size,
      inbox_count: this.inbox.size,
      relays: this.relays.urls,
      connections: this.relays.status(),
      sent_count: this.outbox.sentSize,
      job_count: this.jobs.size,
      subscription_count: this.relays.subscriptions().length,
      /** Events dropped because their signature or id did not verify (or they matched no filter). */
      rejected_count: this.rejected + this.inbox.invalidCount,
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.jobsTimer)
    this.relays.close()
  }
}
