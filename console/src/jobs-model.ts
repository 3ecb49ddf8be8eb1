/**
 * Jobs as a client sees them on the wire: requests, and the feedback and results that answer
 * them, folded into a status by the relay's own lifecycle rules. Pure.
 */
import type { NostrEvent } from '../../relay/protocol/event'
import { tagValue } from '../../relay/protocol/tags'
import { FEEDBACK_KIND } from '../../relay/marketplace/job-kinds'
import { nextStatus, type JobStatus } from '../../relay/marketplace/lifecycle'
import { feedbackStatus, requestIdOf } from '../../relay/marketplace/nip90'

export interface JobState {
  status: JobStatus
  /** What the latest feedback said besides its status. */
  note?: string
  /** Who sent the answer that set the status. */
  by?: string
  feedback: NostrEvent[]
  results: NostrEvent[]
}

const isResultOf = (request: Pick<NostrEvent, 'kind'>, e: NostrEvent) => e.kind === request.kind + 1000

/** The status the answers give a request, oldest answer first; a result means success. */
export function jobState(request: Pick<NostrEvent, 'kind'>, answers: NostrEvent[]): JobState {
  const ordered = [...answers].sort((a, b) => a.created_at - b.created_at || Number(isResultOf(request, a)) - Number(isResultOf(request, b)))
  const state: JobState = { status: 'pending', feedback: [], results: [] }
  for (const e of ordered) {
    if (e.kind === FEEDBACK_KIND) {
      state.feedback.push(e)
      const incoming = feedbackStatus(e) ?? ''
      // An unknown status, or one after a final status, is in the timeline but changes nothing.
      if (nextStatus(state.status, incoming) !== incoming) continue
      state.status = incoming as JobStatus
      state.note = e.tags.find((t) => t[0] === 'status')?.[2] || e.content || undefined
      state.by = e.pubkey
    } else if (isResultOf(request, e)) {
      state.results.push(e)
      if (nextStatus(state.status, 'success') === 'success') Object.assign(state, { status: 'success', note: undefined, by: e.pubkey })
    }
  }
  return state
}

export interface TrackedJob extends JobState {
  request: NostrEvent
}

/**
 * The latest `size` job requests and their answers. Answers may arrive before their request
 * (a live feed races a history read), so a few are kept until it comes.
 */
export class JobBook {
  private readonly requests = new Map<string, NostrEvent>()
  private readonly answers = new Map<string, Map<string, NostrEvent>>()

  constructor(
    private readonly isJobKind: (kind: number) => boolean,
    private readonly size = 50,
  ) {}

  /** Takes any event; says whether it changed a job. */
  add(e: NostrEvent): boolean {
    if (this.isJobKind(e.kind)) {
      if (this.requests.has(e.id)) return false
      this.requests.set(e.id, e)
      this.trim()
      return this.requests.has(e.id)
    }
    const id = e.kind === FEEDBACK_KIND || this.isJobKind(e.kind - 1000) ? requestIdOf(e) : undefined
    if (!id) return false
    const answers = this.answers.get(id) ?? new Map<string, NostrEvent>()
    if (answers.has(e.id)) return false
    this.answers.set(id, answers.set(e.id, e))
    if (this.answers.size > this.size * 10) this.trim()
    return this.requests.has(id)
  }

  get(id: string): TrackedJob | undefined {
    const request = this.requests.get(id)
    return request && { request, ...jobState(request, [...(this.answers.get(id)?.values() ?? [])]) }
  }

  /** Newest first. */
  jobs(): TrackedJob[] {
    return this.newest().map((r) => this.get(r.id) as TrackedJob)
  }

  ids(): string[] {
    return [...this.requests.keys()]
  }

  private newest(): NostrEvent[] {
    return [...this.requests.values()].sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : 1))
  }

  private trim() {
    for (const old of this.newest().slice(this.size)) {
      this.requests.delete(old.id)
      this.answers.delete(old.id)
    }
    // Answers whose request never came: keep the most recent ones only.
    const orphans = [...this.answers.keys()].filter((id) => !this.requests.has(id))
    for (const id of orphans.slice(0, Math.max(0, orphans.length - this.size * 5))) this.answers.delete(id)
  }
}

/** The first `i` input of a request, for a one-line summary. */
export const firstInput = (request: Pick<NostrEvent, 'tags'>) => tagValue(request, 'i') ?? ''
