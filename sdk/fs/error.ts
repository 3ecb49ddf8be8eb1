/** One error type for every file service, with codes a program can branch on. */

export const FS_ERROR_CODES = [
  'not-found',
  'exists',
  'not-a-directory',
  'is-a-directory',
  'not-empty',
  'permission-denied',
  'read-only',
  'invalid-path',
  /** A value written or passed is malformed (bad JSON in a control file, a bad seek position). */
  'invalid-argument',
  'conflict',
  'too-large',
  'rate-limited',
  'unavailable',
  'io',
] as const

export type FsErrorCode = (typeof FS_ERROR_CODES)[number]

export class FsError extends Error {
  override readonly name = 'FsError'
  constructor(
    readonly code: FsErrorCode,
    /** What went wrong, without the code and path. */
    readonly detail: string,
    readonly path?: string,
  ) {
    super(path === undefined ? `${code}: ${detail}` : `${code}: ${detail} (${path})`)
  }

  static is(error: unknown, code?: FsErrorCode): error is FsError {
    return error instanceof FsError && (code === undefined || error.code === code)
  }
}

/** Anything thrown by a service, as an FsError: unknown failures become `io`. */
export function toFsError(error: unknown, path?: string): FsError {
  if (error instanceof FsError) return error
  return new FsError('io', error instanceof Error ? error.message : String(error), path)
}
