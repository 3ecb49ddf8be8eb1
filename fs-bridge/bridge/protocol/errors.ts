/** Wire error codes (POSIX-like names) and how `FsError` codes map onto them. Pure. */
import { FsError, type FsErrorCode } from '../../../sdk/fs/error'

export const WIRE_CODES = [
  'ENOENT', 'EACCES', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EROFS', 'EINVAL', 'ETOOBIG', 'EAGAIN', 'ECONFLICT', 'EIO',
] as const

export type WireCode = (typeof WIRE_CODES)[number]

export interface WireError {
  code: WireCode
  message: string
}

const BY_FS_CODE: Record<FsErrorCode, WireCode> = {
  'not-found': 'ENOENT',
  exists: 'EEXIST',
  'not-a-directory': 'ENOTDIR',
  'is-a-directory': 'EISDIR',
  'not-empty': 'ENOTEMPTY',
  'permission-denied': 'EACCES',
  'read-only': 'EROFS',
  'invalid-path': 'EINVAL',
  'invalid-argument': 'EINVAL',
  conflict: 'ECONFLICT',
  'too-large': 'ETOOBIG',
  'rate-limited': 'EAGAIN',
  // Both mean "not now, try again later".
  unavailable: 'EAGAIN',
  io: 'EIO',
}

export const wireCodeOf = (code: FsErrorCode): WireCode => BY_FS_CODE[code]

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
