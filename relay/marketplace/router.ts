/**
 * The marketplace: keeps the DVM registry current, routes job requests to DVMs, and follows
 * every job through feedback and results to its end. The relay calls `accept` for each event
 * it has stored; everything else it needs from the relay goes through `RelayPort`.
 */
import { listOf, type RelayConfig } from '../config'
import type { NostrEvent } from '../protocol/event'
import { deletionTargets, DELETION_KIND } from '../protocol/deletion'
import { expirationOf } from '../protocol/tags'
import type { D1Runner } from '../store/d1'
import { internalDvm, type JobContext } from './internal-dvm'
import { FEEDBACK_KIND, HANDLER_KIND, HEARTBEAT_KIND, JobKinds } from './job-kinds'
import { JobStore, type Job } from './job-store'
import { isOpen, nextStatus, type JobStatus } from './lifecycle'
import { readAnnouncement } from './nip89'
import { feedbackStatus, readJobRequest, requestIdOf } from './nip90'
import { chooseDvms, type RoutingPolicy } from './policy'
import { DvmRegistry } from './registry'

export interface RelayPort {
  readonly pubkey: string
  /** Delivers a stored event to matching live subscriptions. */
  broadcast(event: NostrEvent): void
  /** Ingests an event as if a client had sent it. */
  publish(event: NostrEvent): Promise<{ accepted: boolean; message: string }>
  /** Signs an event with the relay's key and publishes it. */
  publishAsRelay(template: { kind: number; tags: string[][]; content: string }): Promise<void>
  /** Whether a connected client's subscription names this job's kind and matches it. */
  watched(request: NostrEvent): boolean
  getEvent(id: string): Promise<NostrEvent | undefined>
  /** Asks for `tick` to run at `at` (ms). */
  wakeAt(at: number): void
}

export interface MarketplaceConfig {
  policy: RoutingPolicy
  jobTimeout: number
  livenessWindow: number
  /** Jobs nobody took are offered to a DVM that registers within this time, ms. */
  pendingWindow: number
  allowlist: Set<string> | null
  extraJobKinds: number[]
  internalDvms: string[]
}

export function marketplaceConfig(c: RelayConfig): MarketplaceConfig {
  return {
    policy: c.routingPolicy as RoutingPolicy,
    jobTimeout: c.jobTimeout * 1000,
    livenessWindow: c.dvmLivenessWindow * 1000,
    pendingWindow: c.jobTimeout * 1000,
    allowlist: c.dvmAllowlist ? new Set(listOf(c.dvmAllowlist)) : null,
    extraJobKinds: listOf(c.jobKinds).map(Number),
    internalDvms: listOf(c.internalDvms),
  }
}

const PENDING: JobStatus[] = ['pending', 'error']

export class Marketplace {
  private readonly kinds: JobKinds
  private readonly registry: DvmRegistry
  readonly jobs: JobStore
  private readonly internalByPubkey = new Map<string, string>()
  /** Routing work runs in order, one event at a time, so feedback never overtakes its request. */
  private work: Promise<unknown> = Promise.resolve()
  private turn = 0

  constructor(
    private readonly port: RelayPort,
    db: D1Runner,
    private readonly env: Record<string, unknown>,
    private readonly config: MarketplaceConfig,
  ) {
    this.kinds = new JobKinds(config.extraJobKinds)
    this.registry = new DvmRegistry(db, config.livenessWindow, config.allowlist)
    this.jobs = new JobStore(db)
  }

  async load() {
    await Promise.all([this.registry.load(), this.jobs.load()])
    for (const job of this.jobs.inMemory()) if (job.deadline !== null) this.port.wakeAt(job.deadline)
  }

  /** Asks each internal DVM for its announcement and registers it like any other. */
  async registerInternalDvms() {
    for (const binding of this.config.internalDvms) {
      try {
        const announcement = await internalDvm(this.env, binding).announcement()
        if (!announcement) continue // no back-end configured: it does not pretend to serve
        this.internalByPubkey.set(announcement.pubkey, binding)
        const result = await this.port.publish(announcement)
        if (!result.accepted) console.error(`marketplace: ${binding} announcement refused: ${result.message}`)
        await this.enqueue(() => this.onAnnouncement(announcement, Date.now()))
      } catch (err) {
        console.error(`marketplace: internal DVM ${binding} did not announce`, err)
      }
    }
  }

  /**
   * Called for each event the relay stored. Job requests are routed before they are broadcast
   * and may be held (chained or malformed); the answer says whether to broadcast now.
   */
  accept(event: NostrEvent): boolean | Promise<boolean> {
    const now = Date.now()
    if (this.kinds.isRequest(event.kind)) return this.enqueue(() => this.onRequest(event, now))
    if (event.kind === FEEDBACK_KIND) void this.enqueue(() => this.onFeedback(event, now))
    else if (this.kinds.isResult(event.kind)) void this.enqueue(() => this.onResult(event, now))
    else if (event.kind === HANDLER_KIND) void this.enqueue(() => this.onAnnouncement(event, now))
    else if (event.kind === HEARTBEAT_KIND) void this.enqueue(() => this.onHeartbeat(event, now))
    else if (event.kind === DELETION_KIND) void this.enqueue(() => this.onDeletion(event, now))
    return true
  }

  /** Timeouts: relay-signed error feedback, and one re-offer under single-DVM policies. */
  tick(now: number): Promise<unknown> {
    return this.enqueue(async () => {
      for (const job of [...this.jobs.inMemory()]) {
        if (job.deadline === null) continue
        if (job.deadline > now) {
          this.port.wakeAt(job.deadline)
          continue
        }
        job.deadline = null
        this.transition(job, 'timed-out', now, this.port.pubkey, undefined, `no answer within ${this.config.jobTimeout / 1000} s`)
        this.relayFeedback(job, 'error', `timed out: no DVM answered within ${this.config.jobTimeout / 1000} s`)
        if (this.config.policy !== 'all' && job.offers < 2 && job.targets.length === 0) {
          const request = await this.port.getEvent(job.id)
          if (request) await this.route(job, request, now, new Set(job.assigned))
        }
        this.jobs.save(job)
      }
    })
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.work.then(task)
    this.work = run.catch((err) => console.error('marketplace: routing failed', err))
    return run
  }

  private async onRequest(event: NostrEvent, now: number): Promise<boolean> {
    const { request, problems } = readJobRequest(event, this.kinds.get(event.kind)!)
    const job: Job = {
      id: event.id, kind: event.kind, customer: event.pubkey, status: 'pending', targets: request.targets, assigned: [],
      provider: null, waitingFor: null, deadline: null, offers: 0, receivedAt: now, updatedAt: now,
      firstFeedbackAt: null, resultAt: null, history: [{ status: 'pending', at: now, pubkey: event.pubkey, eventId: event.id }], results: [],
    }
    if (problems.length > 0) {
      const note = `invalid job request: ${problems.join('; ')}`
      this.transition(job, 'error', now, this.port.pubkey, undefined, note)
      this.jobs.save(job)
      this.relayFeedback(job, 'error', note)
      return false
    }
    for (const input of request.inputs) {
      if (input.type !== 'job') continue
      const previous = await this.jobs.get(input.data)
      if (!previous || previous.results.length === 0) {
        job.waitingFor = input.data
        this.jobs.save(job)
        return false
      }
    }
    await this.route(job, event, now)
    this.jobs.save(job)
    return true
  }

  /** Chooses DVMs for a job, delivers it to the internal ones, and says so when nobody can serve. */
  private async route(job: Job, request: NostrEvent, now: number, exclude: ReadonlySet<string> = new Set()) {
    const candidates = this.registry.forKind(job.kind).map((e) => ({
      pubkey: e.pubkey,
      live: e.internal !== null || this.registry.isLive(e.pubkey, now),
      openJobs: this.openJobs(e.pubkey),
    }))
    const chosen = chooseDvms(candidates, job.targets, this.config.policy, this.turn++, exclude)
    if (chosen.length === 0) {
      if (exclude.size === 0 && !this.port.watched(request)) {
        const note = `no DVM serves kind ${job.kind} here now`
        this.transition(job, 'error', now, this.port.pubkey, undefined, note)
        this.relayFeedback(job, 'error', note)
      }
      return
    }
    job.assigned.push(...chosen.filter((p) => !job.assigned.includes(p)))
    job.offers++
    job.deadline = now + this.config.jobTimeout
    this.port.wakeAt(job.deadline)
    const context = await this.contextFor(request)
    for (const pubkey of chosen) {
      const binding = this.registry.internalBinding(pubkey)
      if (binding) void this.deliver(binding, request, context)
    }
  }

  private async deliver(binding: string, request: NostrEvent, context: JobContext) {
    try {
      await internalDvm(this.env, binding).job(request, context)
    } catch (err) {
      console.error(`marketplace: delivery to ${binding} failed`, err)
    }
  }

  private async contextFor(request: NostrEvent): Promise<JobContext> {
    const results: Record<string, NostrEvent> = {}
    for (const t of request.tags) {
      if (t[0] !== 'i' || t[2] !== 'job') continue
      const previous = await this.jobs.get(t[1])
      const resultId = previous?.results.at(-1)
      const result = resultId ? await this.port.getEvent(resultId) : undefined
      if (result) results[t[1]] = result
    }
    return { results }
  }

  private openJobs(pubkey: string): number {
    let n = 0
    for (const j of this.jobs.inMemory()) if (isOpen(j.status) && j.assigned.includes(pubkey)) n++
    return n
  }

  private async onFeedback(event: NostrEvent, now: number) {
    const id = requestIdOf(event)
    const job = id ? await this.jobs.get(id) : undefined
    if (!job) return
    const status = feedbackStatus(event) ?? 'unknown'
    const note = event.tags.find((t) => t[0] === 'status')?.[2]
    if (event.pubkey === this.port.pubkey) return // the relay's own feedback: already recorded when sent
    this.registry.touch(event.pubkey, now)
    job.firstFeedbackAt ??= now
    job.deadline = null
    this.transition(job, status, now, event.pubkey, event.id, note)
    this.jobs.save(job)
  }

  private async onResult(event: NostrEvent, now: number) {
    const id = requestIdOf(event)
    if (!id) return
    const job = await this.jobs.get(id)
    if (job && event.kind === job.kind + 1000) {
      this.registry.touch(event.pubkey, now)
      job.results.push(event.id)
      job.resultAt ??= now
      job.firstFeedbackAt ??= now
      job.deadline = null
      this.transition(job, 'success', now, event.pubkey, event.id)
      this.jobs.save(job)
    }
    for (const waiting of [...this.jobs.inMemory()]) {
      if (waiting.waitingFor !== id) continue
      waiting.waitingFor = null
      const request = await this.port.getEvent(waiting.id)
      if (request) {
        this.port.broadcast(request)
        await this.route(waiting, request, now)
      }
      this.jobs.save(waiting)
    }
  }

  private async onAnnouncement(event: NostrEvent, now: number) {
    const announcement = readAnnouncement(event)
    if ('error' in announcement) return
    await this.registry.register(announcement, this.internalByPubkey.get(event.pubkey) ?? null, now)
    if (!this.registry.allowed(event.pubkey)) return
    // A DVM that arrives late still gets the jobs nobody took.
    for (const job of [...this.jobs.inMemory()]) {
      const untaken = job.assigned.length === 0 && job.waitingFor === null && PENDING.includes(job.status) && job.targets.length === 0
      if (!untaken || !announcement.kinds.includes(job.kind) || now - job.receivedAt > this.config.pendingWindow) continue
      const request = await this.port.getEvent(job.id)
      if (request) await this.route(job, request, now)
      this.jobs.save(job)
    }
  }

  private async onHeartbeat(event: NostrEvent, now: number) {
    const expiration = expirationOf(event)
    this.registry.touch(event.pubkey, now, expiration === null ? null : expiration * 1000)
  }

  private async onDeletion(event: NostrEvent, now: number) {
    const targets = deletionTargets(event)
    for (const id of targets.ids) {
      const job = await this.jobs.get(id)
      if (!job || job.customer !== event.pubkey) continue
      job.deadline = null
      job.waitingFor = null
      this.transition(job, 'cancelled', now, event.pubkey, event.id)
      this.jobs.save(job)
      for (const pubkey of job.assigned) {
        const binding = this.registry.internalBinding(pubkey)
        if (binding) void internalDvm(this.env, binding).cancel(job.id).catch((err) => console.error('marketplace: cancel failed', err))
      }
    }
    for (const address of targets.addresses) {
      const [kind, pubkey, d] = address.split(':')
      if (Number(kind) === HANDLER_KIND) await this.registry.unregister(pubkey, d ?? '')
    }
  }

  private transition(job: Job, status: string, at: number, pubkey: string, eventId?: string, note?: string) {
    const before = job.status
    job.status = nextStatus(job.status, status)
    if (job.status !== before && (status === 'success' || status === 'error') && pubkey !== this.port.pubkey) job.provider = pubkey
    job.updatedAt = at
    job.history.push({ status, at, pubkey, ...(eventId ? { eventId } : {}), ...(note ? { note } : {}) })
  }

  /**
   * Relay-signed feedback to the customer. Not awaited: routing goes on while it is stored, so
   * one storage commit per job never serializes the routing of the next.
   */
  private relayFeedback(job: Job, status: string, note: string) {
    void this.port
      .publishAsRelay({ kind: FEEDBACK_KIND, content: '', tags: [['status', status, note], ['e', job.id], ['p', job.customer]] })
      .catch((err) => console.error('marketplace: relay feedback failed', err))
  }
}
