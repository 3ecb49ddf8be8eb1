/** NIP-90 job requests as the router checks them: the SDK's reading, plus what the kind registry requires. Pure. */
import type { NostrEvent } from '../protocol/event'
import { readJobTags, type JobTags } from '../../sdk/dvm/request'
import type { JobKind } from './job-kinds'

export { feedbackStatus, requestIdOf } from '../../sdk/dvm/answers'

export interface JobRequest extends JobTags {
  id: string
  kind: number
  customer: string
}

/** Reads a job request; `problems` lists what makes it unservable (empty when it is fine). */
export function readJobRequest(e: NostrEvent, kind: JobKind): { request: JobRequest; problems: string[] } {
  const { fields, problems } = readJobTags(e.tags)
  const request: JobRequest = { id: e.id, kind: e.kind, customer: e.pubkey, ...fields }
  if (kind.needsInput && !request.encrypted && request.inputs.length === 0) problems.push(`kind ${kind.kind} (${kind.name}) needs at least one i input`)
  return { request, problems }
}
