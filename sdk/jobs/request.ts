/** A job request's tags as a customer writes them (NIP-90), and the feedback it reads back. Pure. */
import type { NostrEvent } from '../nostr/signer'
import { amountOf, feedbackStatus, type Amount } from '../dvm/answers'
import { isHex64, isJobRequestKind } from '../dvm/kinds'
import { inputTag, type Encryption } from '../dvm/request'
import type { JobInput } from '../dvm/types'

export interface JobRequestSpec {
  kind: number
  /** Inputs; a plain string is a `text` input. */
  inputs?: Array<JobInput | string>
  params?: Record<string, string>
  /** Requested output mime type. */
  output?: string
  /** The most the customer pays, in millisats. */
  bid?: number
  /** DVMs asked for the job (`p` tags); an encrypted job names exactly one. */
  targets?: string[]
  /** Encrypts inputs and params to the target: `true` is NIP-04, as NIP-90 says. */
  encrypted?: boolean | Encryption
  /** Where DVMs should answer (the `relays` tag). */
  relays?: string[]
}

/**
 * The request's tags: `visible` ones, and `hidden` ones (inputs and params) to encrypt into the
 * content when the job is encrypted. Throws a TypeError naming what is wrong with the spec.
 */
export function jobRequestTags(spec: JobRequestSpec): { visible: string[][]; hidden: string[][]; encryption?: Encryption } {
  const problems: string[] = []
  if (!isJobRequestKind(spec.kind)) problems.push(`kind ${spec.kind} is not a job request kind (5000-5999)`)
  if (spec.bid !== undefined && !(Number.isSafeInteger(spec.bid) && spec.bid >= 0)) problems.push('bid must be a whole, non-negative number of millisats')
  const targets = spec.targets ?? []
  for (const t of targets) if (!isHex64(t)) problems.push(`target ${t} is not a hex public key`)
  const encryption = spec.encrypted === true ? 'nip04' : spec.encrypted || undefined
  if (encryption && targets.length !== 1) problems.push('an encrypted job names exactly one DVM (targets)')
  if (problems.length > 0) throw new TypeError(`invalid job request: ${problems.join('; ')}`)

  const inputs = (spec.inputs ?? []).map((i) => inputTag(typeof i === 'string' ? { data: i, type: 'text' } : i))
  const params = Object.entries(spec.params ?? {}).map(([k, v]) => ['param', k, v])
  const visible: string[][] = []
  if (spec.output) visible.push(['output', spec.output])
  if (spec.bid !== undefined) visible.push(['bid', String(spec.bid)])
  if (spec.relays?.length) visible.push(['relays', ...spec.relays])
  visible.push(...targets.map((t) => ['p', t]))
  if (!encryption) return { visible: [...inputs, ...params, ...visible], hidden: [] }
  return { visible: [...visible, ['encrypted']], hidden: [...inputs, ...params], encryption }
}

export interface JobFeedback {
  status: string
  /** The status tag's human-readable extra information. */
  message?: string
  amount?: Amount
  /** The feedback's content, decrypted when it came encrypted. */
  content: string
  event: NostrEvent
}

export function readFeedback(event: NostrEvent, content: string): JobFeedback {
  const message = event.tags.find((t) => t[0] === 'status')?.[2]
  const amount = amountOf(event)
  return { status: feedbackStatus(event) ?? 'unknown', content, event, ...(message ? { message } : {}), ...(amount ? { amount } : {}) }
}
