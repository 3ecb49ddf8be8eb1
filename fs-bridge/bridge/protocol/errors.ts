/** The bridge's refusals: wire errors (codes from the SDK's wire format) and what a failure may tell. Pure. */
import { FsError } from '../../../sdk/fs/error'
import { wireCodeOf, type WireCode, type WireError } from '../../../sdk/services/remote/protocol'

export const refusal = (code: WireCode, message: string): WireError => ({ code, message })

/**
 * What the caller is told about a failure. Service errors keep their detail and path; anything
 * else is an internal failure whose text stays in the log, not on the wire.
 */
export function wireError(error: unknown): WireError {
  if (error instanceof FsError) {
    return refusal(wireCodeOf(error.code), error.path === undefined ? error.detail : `${error.detail} (${error.path})`)
  }
  return refusal('EIO', 'internal error')
}
