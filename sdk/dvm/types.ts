/**
 * The DVM runtime's contract: what a DVM author writes (`DvmDefinition`) and what its handler is
 * given (`Job`, `JobContext`). The same definition runs as a Node process over WebSockets and
 * inside a Durable Object fed by the platform's router.
 */
import type { NostrEvent } from '../nostr/signer'

export type InputType = 'text' | 'url' | 'event' | 'job'

/** One `["i", data, type, relay?, marker?]` tag of a request. */
export interface JobInput {
  data: string
  type: InputType
  relay?: string
  marker?: string
}

/** A job request as a handler sees it: parsed, and decrypted when it came encrypted. */
export interface Job {
  id: string
  kind: number
  /** The customer's pubkey. */
  customer: string
  /** The signed request as it was published (its tags still encrypted when it was encrypted). */
  request: NostrEvent
  inputs: JobInput[]
  /** `["param", name, value]` tags; a repeated name keeps its last value. */
  params: Record<string, string>
  /** Requested output mime type. */
  output?: string
  /** The customer's bid in millisats. */
  bid?: number
  /** Where the customer listens (`relays` tag). */
  relays: string[]
  /** The scheme the request was encrypted with; the answer uses the same. */
  encryption?: 'nip04' | 'nip44'
  /** Results of the request's `job` inputs, by the id of the job they answer, when known already. */
  chained: Record<string, NostrEvent>
}

/** What a handler answers with: the result's content, and tags to add (e.g. `["x", sha256]`). */
export interface JobResult {
  content: string
  tags?: string[][]
}

export interface JobContext {
  /** Aborted when the customer cancels the job (NIP-09) or the runtime stops. */
  readonly signal: AbortSignal
  /** Kind 7000 `processing`, with an optional human message. */
  processing(message?: string): Promise<void>
  /**
   * Kind 7000 `partial` carrying the output so far. Throttled by the runtime (the newest text is
   * sent at most every `partialInterval`), so handlers may call it for every token.
   */
  partial(textSoFar: string): Promise<void>
  /** Kind 7000 `payment-required` with an `amount` tag; the runtime sends it itself when a bid is below the price. */
  paymentRequired(amountMsats: number, bolt11?: string): Promise<void>
  /** An event by id, from the relays the runtime reads (for `event` inputs). */
  resolveEvent(id: string): Promise<NostrEvent | undefined>
  /** The result event of an earlier job (for `job` inputs). */
  resolveJobResult(requestId: string): Promise<NostrEvent | undefined>
}

/** Thrown by a handler to end the job with `error` feedback carrying this message. */
export class JobError extends Error {
  override readonly name = 'JobError'
}

/** NIP-89 handler information (the announcement's content, kind 0 style, plus what we add). */
export interface DvmInfo {
  name: string
  about: string
  picture?: string
  /** Params the DVM understands, described for clients. */
  params?: Record<string, { description: string; values?: string[]; default?: string }>
  [key: string]: unknown
}

export interface DvmDefinition {
  /** Job request kinds served (5000-5999). */
  kinds: number[]
  info: DvmInfo
  /** Millisats per job; 0 (the default) serves everyone. */
  price?: number
  /** The announcement's `d` tag; defaults to a slug of `info.name`. */
  id?: string
  /** Minimum milliseconds between two `partial` feedback events; default 500. */
  partialInterval?: number
  handle(job: Job, ctx: JobContext): Promise<JobResult | string>
}
