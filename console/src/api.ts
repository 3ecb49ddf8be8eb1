/** The relay's HTTP side, as the console reads it: NIP-11 and the marketplace API. */
import type { NostrEvent } from '../../relay/protocol/event'
import type { HistoryEntry, JobStatus } from '../../relay/marketplace/lifecycle'

export interface Dvm {
  pubkey: string
  d: string
  kinds: number[]
  name: string
  about: string
  price: number | null
  internal: boolean
  live: boolean
  lastSeen: number | null
}

export interface Spread {
  p50: number | null
  p95: number | null
  n: number
}

export interface Stats {
  jobs: number
  openJobs: number
  perKind: Record<string, Record<string, number>>
  perDvm: Record<string, { success: number; error: number; timedOut: number; successRate: number | null; toResultMs: Spread }>
  toFirstFeedbackMs: Spread
  toResultMs: Spread
  timeline: { bucketMs: number; start: number; perKind: Record<string, number[]> }
  latency: { boundsMs: number[]; toFirstFeedback: number[]; toResult: number[] }
  relay: { connections: number; eventsStored: number; eventsLastMinute: number }
}

export interface Job {
  id: string
  kind: number
  customer: string
  status: JobStatus
  provider: string | null
  receivedAt: number
  history: HistoryEntry[]
  feedback: NostrEvent[]
  results: NostrEvent[]
}

export interface RelayInfo {
  name?: string
  description?: string
  pubkey?: string
  self?: string
  software?: string
  version?: string
  supported_nips?: number[]
  limitation?: Record<string, unknown>
  [key: string]: unknown
}

/** What went wrong, said for people: the view shows it as it is. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

async function get<T>(path: string, accept = 'application/json'): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, { headers: { Accept: accept } })
  } catch {
    throw new ApiError(`The relay did not answer ${path}: it may be down or unreachable.`)
  }
  const body = await res.json().catch(() => undefined)
  if (!res.ok) throw new ApiError(`${path} answered ${res.status}${body?.error ? `: ${body.error}` : ''}.`, res.status)
  if (body === undefined) throw new ApiError(`${path} did not answer with JSON.`)
  return body as T
}

export const api = {
  dvms: () => get<Dvm[]>('/dvms'),
  stats: () => get<Stats>('/stats'),
  job: (id: string) => get<Job>(`/jobs/${id}`),
  info: () => get<RelayInfo>('/', 'application/nostr+json'),
}
