/** What a DVM running inside the platform offers the router over Durable Object RPC. */
import type { NostrEvent } from '../protocol/event'

export interface JobContext {
  /** Results of the request's `job` inputs, by the id of the job they answer. */
  results: Record<string, NostrEvent>
}

export interface InternalDvm {
  /** The DVM's signed NIP-89 announcement, or null when it cannot serve (no back-end). */
  announcement(): Promise<NostrEvent | null>
  /** A job for it; it answers by publishing feedback and a result to the relay. */
  job(request: NostrEvent, context: JobContext): Promise<void>
  /** The customer deleted the request. */
  cancel(requestId: string): Promise<void>
}

export function internalDvm(env: Record<string, unknown>, binding: string): InternalDvm {
  const ns = env[binding] as DurableObjectNamespace | undefined
  if (!ns) throw new Error(`no Durable Object binding ${binding} for an internal DVM`)
  return ns.get(ns.idFromName(binding)) as unknown as InternalDvm
}
