/**
 * The agent's NIP-90 jobs: each request it published, with the feedback (kind 7000) and results
 * (request kind + 1000) that answer it through their first `e` tag. No I/O, no signature checks
 * (the inbox did those).
 */
import { feedbackStatus, requestIdOf } from '../../dvm/answers'
import { FEEDBACK_KIND, resultKindOf } from '../../dvm/kinds'
import type { NostrEvent } from '../../nostr/signer'

/** Feedback kept per job, newest last; `partial` feedback can stream many. */
export const FEEDBACK_PER_JOB = 100

export interface Job {
  request: NostrEvent
  /** Feedback by event id, in arrival order. */
  feedback: Map<string, NostrEvent>
  /** The latest result of each provider, by provider pubkey. */
  results: Map<string, NostrEvent>
}

export type JobAnswer = { job: Job; type: 'feedback' | 'result'; name: string; evicted?: string }

/** `success` once a result is in; otherwise the status of the newest feedback; `pending` before any. */
export function jobStatus(job: Job): string {
  if (job.results.size > 0) return 'success'
  let latest: NostrEvent | undefined
  for (const e of job.feedback.values()) if (feedbackStatus(e) && (!latest || e.created_at >= latest.created_at)) latest = e
  return (latest && feedbackStatus(latest)) ?? 'pending'
}

export class JobBook {
  private readonly jobs = new Map<string, Job>()

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError('the job limit must be a positive integer')
  }

  /** Starts following a request; returns the ids of jobs evicted to stay within the limit. */
  add(request: NostrEvent): string[] {
    if (this.jobs.has(request.id)) return []
    this.jobs.set(request.id, { request, feedback: new Map(), results: new Map() })
    const evicted: string[] = []
    for (const id of this.jobs.keys()) {
      if (this.jobs.size <= this.limit) break
      this.jobs.delete(id)
      evicted.push(id)
    }
    return evicted
  }

  /** Files an answer under its job; undefined when it answers none of ours (or is not an answer). */
  answer(event: NostrEvent): JobAnswer | undefined {
    const job = this.jobs.get(requestIdOf(event) ?? '')
    if (!job) return undefined
    if (event.kind === FEEDBACK_KIND) {
      if (job.feedback.has(event.id)) return undefined
      job.feedback.set(event.id, event)
      let evicted: string | undefined
      if (job.feedback.size > FEEDBACK_PER_JOB) {
        evicted = job.feedback.keys().next().value!
        job.feedback.delete(evicted)
      }
      return { job, type: 'feedback', name: event.id, ...(evicted ? { evicted } : {}) }
    }
    if (event.kind !== resultKindOf(job.request.kind)) return undefined
    const previous = job.results.get(event.pubkey)
    if (previous && (previous.id === event.id || previous.created_at > event.created_at)) return undefined
    job.results.set(event.pubkey, event)
    return { job, type: 'result', name: event.pubkey }
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id)
  }

  ids(): string[] {
    return [...this.jobs.keys()]
  }

  /** Result kinds of the jobs followed, for the subscription that hears their answers. */
  resultKinds(): number[] {
    return [...new Set([...this.jobs.values()].map((j) => resultKindOf(j.request.kind)))]
  }

  get size(): number {
    return this.jobs.size
  }
}
