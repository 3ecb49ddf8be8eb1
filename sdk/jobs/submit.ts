/**
 * The NIP-90 job client: publishes a request, streams its feedback, resolves its result, and
 * cancels it with a NIP-09 deletion. Works against any NIP-90 relay.
 */
import type { AbstractSimplePool, SubCloser } from 'nostr-tools/abstract-pool'
import { encryptTo, readContent } from '../dvm/encryption'
import { DELETION_KIND, FEEDBACK_KIND, resultKindOf } from '../dvm/kinds'
import { JobError } from '../dvm/types'
import { createPool, publishToAny, type WebSocketClass } from '../nostr/pool'
import type { NostrEvent, Signer } from '../nostr/signer'
import { AsyncQueue } from './queue'
import { jobRequestTags, readFeedback, type JobFeedback, type JobRequestSpec } from './request'

export interface SubmitJobOptions extends JobRequestSpec {
  /** Where the request goes and answers are read; also written as its `relays` tag. */
  relays: string[]
  signer: Signer
  WebSocket?: WebSocketClass
  /** Milliseconds to wait for a result before `result` rejects; default: no limit. */
  timeout?: number
}

export interface JobHandle {
  id: string
  /** The signed request as published. */
  request: NostrEvent
  /** Feedback as it arrives, decrypted; ends when the job ends. */
  feedback: AsyncIterable<JobFeedback>
  /**
   * The first result, its content decrypted. Rejects with a JobError at the first `error`
   * feedback, on `cancel`, or after `timeout`.
   */
  result: Promise<NostrEvent>
  /** Deletes the request (NIP-09 kind 5); DVMs watching abort the job. */
  cancel(reason?: string): Promise<void>
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** Resolves once a relay accepted the request (answers are listened for before it goes out). */
export async function submitJob(options: SubmitJobOptions): Promise<JobHandle> {
  const { signer, relays } = options
  if (relays.length === 0) throw new TypeError('submitJob needs at least one relay')
  const { visible, hidden, encryption } = jobRequestTags(options)
  const content = encryption ? await encryptTo(signer, encryption, options.targets![0], JSON.stringify(hidden)) : ''
  const request = await signer.signEvent({ kind: options.kind, created_at: nowSeconds(), tags: visible, content })
  const pool = createPool({ ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}), signer })
  const job = new JobWatch(pool, request, signer)
  try {
    await job.listen(relays)
    await publishToAny(pool, relays, request)
  } catch (err) {
    job.fail(err)
    throw err
  }
  const timer = options.timeout ? setTimeout(() => job.fail(new JobError(`no result within ${options.timeout! / 1000} s`)), options.timeout) : undefined
  job.result.finally(() => clearTimeout(timer)).catch(() => {})
  return {
    id: request.id,
    request,
    feedback: job.feedback,
    result: job.result,
    cancel: async (reason = '') => {
      if (job.ended) return
      const deletion = await signer.signEvent({ kind: DELETION_KIND, created_at: nowSeconds(), tags: [['e', request.id], ['k', String(request.kind)]], content: reason })
      try {
        await publishToAny(pool, relays, deletion)
      } finally {
        job.fail(new JobError('the job was cancelled'))
      }
    },
  }
}

/** One job's answers, in order of arrival, until its result, an error, or the end. */
class JobWatch {
  readonly feedback = new AsyncQueue<JobFeedback>()
  readonly result: Promise<NostrEvent>
  ended = false
  private settle!: { resolve: (e: NostrEvent) => void; reject: (err: unknown) => void }
  private sub: SubCloser | null = null
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly pool: AbstractSimplePool,
    private readonly request: NostrEvent,
    private readonly signer: Signer,
  ) {
    this.result = new Promise((resolve, reject) => (this.settle = { resolve, reject }))
    this.result.catch(() => {}) // a caller reading only the feedback leaves it unobserved
  }

  /** Subscribes to the request's feedback and results; resolves once the relays are listening. */
  listen(relays: string[]): Promise<void> {
    return new Promise((resolve) => {
      this.sub = this.pool.subscribe(relays, { kinds: [FEEDBACK_KIND, resultKindOf(this.request.kind)], '#e': [this.request.id] }, {
        onevent: (e) => {
          this.chain = this.chain.then(() => this.receive(e)).catch((err) => this.fail(err))
        },
        oneose: resolve,
        onclose: () => resolve(),
      })
    })
  }

  /** Ends the watch with an error for `result` (unless it has ended already). */
  fail(err: unknown) {
    this.end(() => this.settle.reject(err))
  }

  private end(settle: () => void) {
    if (this.ended) return
    this.ended = true
    settle()
    this.feedback.end()
    this.sub?.close()
    this.pool.destroy()
  }

  private async receive(e: NostrEvent) {
    if (this.ended) return
    // An answer that does not decrypt is not for this customer (or not from the DVM asked).
    const content = await readContent(this.signer, e).catch(() => null)
    if (content === null) return
    if (e.kind !== FEEDBACK_KIND) return this.end(() => this.settle.resolve({ ...e, content }))
    const feedback = readFeedback(e, content)
    this.feedback.push(feedback)
    if (feedback.status === 'error') this.fail(new JobError(feedback.message ?? 'the DVM could not do the job'))
  }
}
