/** Jobs, kept in memory while the relay routes them and written behind to D1, where the HTTP API reads them. */
import { sql } from 'drizzle-orm'
import type { D1Runner } from '../store/d1'
import { WriteBehind } from '../store/write-behind'
import type { HistoryEntry, JobStatus } from './lifecycle'
import { jobs } from './schema'

export interface Job {
  id: string
  kind: number
  customer: string
  status: JobStatus
  targets: string[]
  assigned: string[]
  provider: string | null
  waitingFor: string | null
  deadline: number | null
  offers: number
  receivedAt: number
  updatedAt: number
  firstFeedbackAt: number | null
  resultAt: number | null
  history: HistoryEntry[]
  results: string[]
}

const MEMORY_CAP = 20000

export class JobStore {
  private readonly jobs = new Map<string, Job>()
  private readonly writer: WriteBehind<Job>

  constructor(private readonly db: D1Runner) {
    this.writer = new WriteBehind((batch) => db.batch([upsert(batch)]), 'marketplace jobs')
  }

  /** Jobs still in play after a restart: open, waiting, or with a deadline. */
  async load() {
    const rows = await this.db.all<Record<string, unknown>>(
      sql`SELECT * FROM ${jobs} WHERE ${jobs.status} IN ('pending', 'payment-required', 'processing', 'partial') OR ${jobs.deadline} IS NOT NULL OR ${jobs.waitingFor} IS NOT NULL`,
    )
    for (const r of rows) this.jobs.set(r.id as string, fromRow(r))
  }

  async get(id: string): Promise<Job | undefined> {
    const held = this.jobs.get(id)
    if (held) return held
    const [row] = await this.db.all<Record<string, unknown>>(sql`SELECT * FROM ${jobs} WHERE ${jobs.id} = ${id}`)
    if (!row) return undefined
    const job = fromRow(row)
    this.remember(job)
    return job
  }

  save(job: Job) {
    this.remember(job)
    this.writer.set(job.id, job)
  }

  inMemory(): Iterable<Job> {
    return this.jobs.values()
  }

  private remember(job: Job) {
    this.jobs.delete(job.id)
    this.jobs.set(job.id, job)
    if (this.jobs.size > MEMORY_CAP) {
      for (const [id, j] of this.jobs) {
        if (this.jobs.size <= MEMORY_CAP) break
        if (!this.writer.has(id) && j.deadline === null && j.waitingFor === null) this.jobs.delete(id)
      }
    }
  }
}

function upsert(batch: Job[]) {
  const rows = batch.map((j) => [
    j.id, j.kind, j.customer, j.status, JSON.stringify(j.targets), JSON.stringify(j.assigned), j.provider, j.waitingFor, j.deadline,
    j.offers, j.receivedAt, j.updatedAt, j.firstFeedbackAt, j.resultAt, JSON.stringify(j.history), JSON.stringify(j.results),
  ])
  return sql`INSERT OR REPLACE INTO ${jobs} (id, kind, customer, status, targets, assigned, provider, waiting_for, deadline, offers,
      received_at, updated_at, first_feedback_at, result_at, history, results)
    SELECT value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6, value->>7, value->>8, value->>9,
      value->>10, value->>11, value->>12, value->>13, value->>14, value->>15 FROM json_each(${JSON.stringify(rows)})`
}

export function fromRow(r: Record<string, unknown>): Job {
  return {
    id: r.id as string,
    kind: r.kind as number,
    customer: r.customer as string,
    status: r.status as JobStatus,
    targets: JSON.parse(r.targets as string),
    assigned: JSON.parse(r.assigned as string),
    provider: (r.provider as string | null) ?? null,
    waitingFor: (r.waiting_for as string | null) ?? null,
    deadline: (r.deadline as number | null) ?? null,
    offers: r.offers as number,
    receivedAt: r.received_at as number,
    updatedAt: r.updated_at as number,
    firstFeedbackAt: (r.first_feedback_at as number | null) ?? null,
    resultAt: (r.result_at as number | null) ?? null,
    history: JSON.parse(r.history as string),
    results: JSON.parse(r.results as string),
  }
}
