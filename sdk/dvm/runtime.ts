/**
 * The one job runner behind both hosts (a Durable Object fed by the router, a Node process on
 * WebSockets): price check, `processing`, the handler with its context, throttled partials, the
 * result or `error`, encryption, deduplication and cancellation. Hosts only bring transport.
 */
import type { Filter } from 'nostr-tools/filter'
import type { EventTemplate, NostrEvent, Signer } from '../nostr/signer'
import { announcementTemplate } from './announcement'
import { feedbackTemplate, requestIdOf, resultTemplate, type FeedbackOptions, type FeedbackStatus } from './answers'
import { DEFAULT_PARTIAL_INTERVAL } from './define'
import { decryptRequest, encryptTo } from './encryption'
import { isJobResultKind } from './kinds'
import { isForDvm, readJob, readJobTags } from './request'
import { PartialThrottle } from './throttle'
import type { DvmDefinition, Job, JobContext, JobResult } from './types'

export interface DvmPort {
  signer: Signer
  /** Sends an answer to where the customer listens; `job` is null for the DVM's own events. */
  publish(event: NostrEvent, job: Job | null): Promise<unknown>
  /** Stored events matching any filter (for `resolveEvent` and chained jobs); absent, nothing resolves. */
  query?(filters: Filter[]): Promise<NostrEvent[]>
}

/**
 * The seam for getting paid. Without it a job bidding below the price ends at `payment-required`;
 * with it, the job goes on once `paid` resolves true.
 */
export interface Settlement {
  /** A bolt11 invoice for the `payment-required` feedback. */
  invoice?(job: Job, amountMsats: number): Promise<string | undefined>
  paid(job: Job, amountMsats: number, signal: AbortSignal): Promise<boolean>
}

export interface RuntimeOptions {
  settlement?: Settlement
  /** Called with the ids of the running jobs whenever they change (a host may watch deletions). */
  onRunning?(ids: string[]): void
  /** Failures that end nothing (a partial that could not be sent); default console.error. */
  onError?(err: unknown): void
}

/** Context delivered by the platform's router: results of the request's `job` inputs. */
export interface DeliveryContext {
  results: Record<string, NostrEvent>
}

const REMEMBERED = 10_000
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err)) || 'the job failed'

/** What a handler answered, checked: a string, or `{ content, tags? }`. */
function checkedResult(out: JobResult | string): JobResult {
  if (typeof out === 'string') return { content: out }
  if (typeof out !== 'object' || out === null || typeof out.content !== 'string') throw new Error('the handler answered without a string content')
  if (out.tags !== undefined && !(Array.isArray(out.tags) && out.tags.every((t) => Array.isArray(t) && t.every((v) => typeof v === 'string')))) {
    throw new Error('the handler answered tags that are not lists of strings')
  }
  return out
}

export class DvmRuntime {
  /** Requests already taken (or cancelled first), oldest first: a second delivery is ignored. */
  private readonly seen = new Set<string>()
  private readonly running = new Map<string, { customer: string; controller: AbortController }>()
  private readonly pubkey: Promise<string>

  constructor(
    readonly definition: DvmDefinition,
    private readonly port: DvmPort,
    private readonly options: RuntimeOptions = {},
  ) {
    this.pubkey = port.signer.getPublicKey()
  }

  announcement(): Promise<NostrEvent> {
    return this.port.signer.signEvent(announcementTemplate(this.definition))
  }

  /** Runs a request to its end, unless it is a duplicate, of another kind, or names other DVMs. */
  async job(request: NostrEvent, context: DeliveryContext = { results: {} }): Promise<void> {
    if (!this.definition.kinds.includes(request.kind) || this.seen.has(request.id)) return
    this.remember(request.id)
    if (!isForDvm(readJobTags(request.tags).fields, await this.pubkey)) return
    const controller = new AbortController()
    this.running.set(request.id, { customer: request.pubkey, controller })
    this.options.onRunning?.([...this.running.keys()])
    try {
      await this.run(request, context, controller.signal)
    } finally {
      this.running.delete(request.id)
      this.options.onRunning?.([...this.running.keys()])
    }
  }

  /** The customer deleted the request (NIP-09); `by`, when given, must be the customer. */
  async cancel(requestId: string, by?: string): Promise<void> {
    const job = this.running.get(requestId)
    if (job && (by === undefined || by === job.customer)) job.controller.abort(new Error('cancelled by the customer'))
    else if (!job && by === undefined) this.remember(requestId)
  }

  /** Aborts every running job. */
  stop() {
    for (const { controller } of this.running.values()) controller.abort(new Error('the DVM stopped'))
  }

  private remember(id: string) {
    this.seen.add(id)
    if (this.seen.size > REMEMBERED) this.seen.delete(this.seen.values().next().value as string)
  }

  private async run(request: NostrEvent, context: DeliveryContext, signal: AbortSignal) {
    const answers = new Answers(this.port, request)
    const hidden = request.tags.some((t) => t[0] === 'encrypted') ? await decryptRequest(this.port.signer, request) : undefined
    if (hidden && 'error' in hidden) return answers.feedback('error', { message: `invalid job request: ${hidden.error}` })
    const { job, problems } = readJob(request, hidden)
    answers.job = job
    if (problems.length > 0) return answers.feedback('error', { message: `invalid job request: ${problems.join('; ')}` })
    const price = this.definition.price ?? 0
    if (price > 0 && (job.bid ?? 0) < price && !(await this.settle(job, price, answers, signal))) return
    if (signal.aborted) return
    await answers.feedback('processing')
    job.chained = await this.chained(job, context)
    if (signal.aborted) return
    const report = this.options.onError ?? ((err) => console.error('dvm: partial feedback failed', err))
    const throttle = new PartialThrottle(this.definition.partialInterval ?? DEFAULT_PARTIAL_INTERVAL, (text) =>
      answers.feedback('partial', { content: text }).catch(report),
    )
    // A cancelled job says nothing more, whatever its handler still does.
    signal.addEventListener('abort', () => {
      throttle.close()
      answers.close()
    }, { once: true })
    let out: JobResult
    try {
      out = checkedResult(await this.definition.handle(job, this.context(job, answers, throttle, signal)))
    } catch (err) {
      if (!signal.aborted) await answers.feedback('error', { message: messageOf(err) })
      return
    } finally {
      throttle.close()
    }
    if (signal.aborted) return
    try {
      await answers.result(out, price)
    } catch (err) {
      await answers.feedback('error', { message: `could not publish the result: ${messageOf(err)}` }, true)
      throw err
    }
  }

  /** `payment-required`, then whether the settlement saw the job paid. */
  private async settle(job: Job, price: number, answers: Answers, signal: AbortSignal): Promise<boolean> {
    const settlement = this.options.settlement
    const bolt11 = await settlement?.invoice?.(job, price)
    await answers.feedback('payment-required', { amount: bolt11 ? { msats: price, bolt11 } : { msats: price } })
    if (!settlement) return false
    return settlement.paid(job, price, signal).catch(() => false)
  }

  private context(job: Job, answers: Answers, throttle: PartialThrottle, signal: AbortSignal): JobContext {
    return {
      signal,
      processing: (message) => answers.feedback('processing', message ? { message } : {}),
      partial: (text) => throttle.push(text),
      paymentRequired: (msats, bolt11) => answers.feedback('payment-required', { amount: bolt11 ? { msats, bolt11 } : { msats } }),
      resolveEvent: async (id) => (await this.port.query?.([{ ids: [id] }]))?.find((e) => e.id === id),
      resolveJobResult: async (requestId) => job.chained[requestId] ?? this.storedResult(requestId),
    }
  }

  /** Results of the `job` inputs: from the router when it knew them, else from the relays. */
  private async chained(job: Job, context: DeliveryContext): Promise<Record<string, NostrEvent>> {
    const chained = { ...context.results }
    for (const input of job.inputs) {
      if (input.type !== 'job' || chained[input.data]) continue
      const result = await this.storedResult(input.data)
      if (result) chained[input.data] = result
    }
    return chained
  }

  private async storedResult(requestId: string): Promise<NostrEvent | undefined> {
    const events = (await this.port.query?.([{ '#e': [requestId], limit: 100 }])) ?? []
    const results = events.filter((e) => isJobResultKind(e.kind) && requestIdOf(e) === requestId)
    return results.sort((a, b) => b.created_at - a.created_at)[0]
  }
}

/** One job's answers, encrypted, signed and published in order; nothing goes out after the result. */
class Answers {
  job: Job | null = null
  private chain: Promise<void> = Promise.resolve()
  private ended = false

  constructor(
    private readonly port: DvmPort,
    private readonly request: NostrEvent,
  ) {}

  /** Feedback; ignored once the result went out, unless `evenAfterEnd` (the result failed). */
  feedback(status: FeedbackStatus, o: FeedbackOptions = {}, evenAfterEnd = false): Promise<void> {
    if (this.ended && !evenAfterEnd) return Promise.resolve()
    const about = { id: this.request.id, customer: this.request.pubkey }
    return this.send(async (encrypt) => {
      const content = o.content && (await encrypt(o.content))
      return feedbackTemplate(about, status, { ...o, ...(content ? { content } : {}), encrypted: !!this.job?.encryption })
    })
  }

  close() {
    this.ended = true
  }

  result(out: JobResult, price: number): Promise<void> {
    const job = this.job!
    this.ended = true
    return this.send(async (encrypt) =>
      resultTemplate(job, await encrypt(out.content), { tags: out.tags ?? [], encrypted: !!job.encryption, ...(price > 0 ? { amount: { msats: price } } : {}) }),
    )
  }

  /** Queues one answer; `build` runs in turn, so encrypting never reorders answers. */
  private send(build: (encrypt: (text: string) => Promise<string>) => Promise<EventTemplate>): Promise<void> {
    const encryption = this.job?.encryption
    const encrypt = async (text: string) => (encryption ? encryptTo(this.port.signer, encryption, this.request.pubkey, text) : text)
    const sent = this.chain.then(async () => {
      const event = await this.port.signer.signEvent(await build(encrypt))
      await this.port.publish(event, this.job)
    })
    this.chain = sent.catch(() => {})
    return sent
  }
}
