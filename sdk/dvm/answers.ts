/**
 * What a DVM sends back (NIP-90): kind 7000 feedback and the result (request kind + 1000), and
 * reading both on the customer's side. Pure: contents arrive here already encrypted when the
 * request was, and leave here as templates for the signer.
 */
import type { EventTemplate, NostrEvent } from '../nostr/signer'
import { FEEDBACK_KIND, isHex64, resultKindOf } from './kinds'
import { inputTag } from './request'
import type { Job } from './types'

export const FEEDBACK_STATUSES = ['payment-required', 'processing', 'error', 'success', 'partial'] as const
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number]

export interface Amount {
  msats: number
  bolt11?: string
}

const nowSeconds = () => Math.floor(Date.now() / 1000)
const amountTag = (a: Amount) => (a.bolt11 ? ['amount', String(a.msats), a.bolt11] : ['amount', String(a.msats)])
/** The tags tying an answer to its request and customer. */
const about = (job: Pick<Job, 'id' | 'customer'>, relayHint?: string) => [relayHint ? ['e', job.id, relayHint] : ['e', job.id], ['p', job.customer]]

export interface FeedbackOptions {
  /** Human-readable extra information, the status tag's third value. */
  message?: string
  amount?: Amount
  /** A sample of the output (e.g. partial results); encrypted already when `encrypted`. */
  content?: string
  encrypted?: boolean
  relayHint?: string
  createdAt?: number
}

export function feedbackTemplate(job: Pick<Job, 'id' | 'customer'>, status: FeedbackStatus, o: FeedbackOptions = {}): EventTemplate {
  const tags = [o.message ? ['status', status, o.message] : ['status', status], ...(o.amount ? [amountTag(o.amount)] : []), ...about(job, o.relayHint)]
  if (o.encrypted && o.content) tags.push(['encrypted'])
  return { kind: FEEDBACK_KIND, created_at: o.createdAt ?? nowSeconds(), tags, content: o.content ?? '' }
}

export interface ResultOptions {
  /** Extra tags from the handler, e.g. `["x", sha256]`. */
  tags?: string[][]
  amount?: Amount
  /** The content is encrypted: mark it, and keep the inputs out of the clear. */
  encrypted?: boolean
  relayHint?: string
  createdAt?: number
}

export function resultTemplate(job: Job, content: string, o: ResultOptions = {}): EventTemplate {
  const tags = [['request', JSON.stringify(job.request)], ...about(job, o.relayHint)]
  if (!o.encrypted) tags.push(...job.inputs.map(inputTag))
  if (o.amount) tags.push(amountTag(o.amount))
  if (o.encrypted) tags.push(['encrypted'])
  tags.push(...(o.tags ?? []))
  return { kind: resultKindOf(job.kind), created_at: o.createdAt ?? nowSeconds(), tags, content }
}

/** The feedback status, with the `payment_required` spelling some libraries use read as NIP-90's. */
export function feedbackStatus(e: Pick<NostrEvent, 'tags'>): string | undefined {
  const status = e.tags.find((t) => t[0] === 'status')?.[1]
  return status === 'payment_required' ? 'payment-required' : status
}

/** The request a result or feedback answers: its `e` tag. */
export function requestIdOf(e: Pick<NostrEvent, 'tags'>): string | undefined {
  const id = e.tags.find((t) => t[0] === 'e')?.[1]
  return isHex64(id) ? id : undefined
}

/** An `amount` tag, read: millisats and an optional bolt11 invoice. */
export function amountOf(e: Pick<NostrEvent, 'tags'>): Amount | undefined {
  const tag = e.tags.find((t) => t[0] === 'amount')
  if (!tag || !/^\d{1,15}$/.test(tag[1] ?? '')) return undefined
  return tag[2] ? { msats: Number(tag[1]), bolt11: tag[2] } : { msats: Number(tag[1]) }
}

export const isEncrypted = (e: Pick<NostrEvent, 'tags'>) => e.tags.some((t) => t[0] === 'encrypted')
