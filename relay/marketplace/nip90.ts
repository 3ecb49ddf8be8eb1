/** NIP-90 job requests, feedback and results: reading and checking. Pure. */
import { isHex64, type NostrEvent } from '../protocol/event'
import { tagValue } from '../protocol/tags'
import type { JobKind } from './job-kinds'

export type InputType = 'text' | 'url' | 'event' | 'job'
const INPUT_TYPES = new Set<string>(['text', 'url', 'event', 'job'])

export interface JobInput {
  data: string
  type: InputType
  relay?: string
  marker?: string
}

export interface JobRequest {
  id: string
  kind: number
  customer: string
  inputs: JobInput[]
  params: Record<string, string>
  output?: string
  bid?: number
  /** DVMs named with `p` tags. */
  targets: string[]
  encrypted: boolean
  relays: string[]
}

/** Reads a job request; `problems` lists what makes it unservable (empty when it is fine). */
export function readJobRequest(e: NostrEvent, kind: JobKind): { request: JobRequest; problems: string[] } {
  const problems: string[] = []
  const request: JobRequest = {
    id: e.id, kind: e.kind, customer: e.pubkey, inputs: [], params: {}, targets: [], encrypted: false, relays: [],
  }
  for (const tag of e.tags) {
    const [name, a, b, c, d] = tag
    switch (name) {
      case 'i':
        if (a === undefined || b === undefined) problems.push('an i tag needs data and an input type')
        else if (!INPUT_TYPES.has(b)) problems.push(`unknown input type "${b}" (text, url, event or job)`)
        else if ((b === 'event' || b === 'job') && !isHex64(a)) problems.push(`a ${b} input must be an event id`)
        else request.inputs.push({ data: a, type: b as InputType, ...(c ? { relay: c } : {}), ...(d ? { marker: d } : {}) })
        break
      case 'param':
        if (a === undefined || b === undefined) problems.push('a param tag needs a name and a value')
        else request.params[a] = b
        break
      case 'bid':
        if (a === undefined || !/^\d{1,15}$/.test(a)) problems.push('bid must be a whole number of millisats')
        else request.bid = Number(a)
        break
      case 'output':
        if (a) request.output = a
        break
      case 'p':
        if (isHex64(a)) request.targets.push(a)
        break
      case 'encrypted':
        request.encrypted = true
        break
      case 'relays':
        request.relays.push(...tag.slice(1))
        break
    }
  }
  if (request.encrypted && request.targets.length === 0) problems.push('an encrypted request must name its DVM with a p tag')
  if (kind.needsInput && !request.encrypted && request.inputs.length === 0) problems.push(`kind ${kind.kind} (${kind.name}) needs at least one i input`)
  return { request, problems }
}

export const FEEDBACK_STATUSES = ['payment-required', 'processing', 'error', 'success', 'partial'] as const

/** The feedback status, with the `payment_required` spelling some libraries use read as NIP-90's. */
export function feedbackStatus(e: Pick<NostrEvent, 'tags'>): string | undefined {
  const status = tagValue(e, 'status')
  return status === 'payment_required' ? 'payment-required' : status
}

/** The request a result or feedback answers: its `e` tag. */
export const requestIdOf = (e: Pick<NostrEvent, 'tags'>): string | undefined => {
  const id = tagValue(e, 'e')
  return isHex64(id) ? id : undefined
}
