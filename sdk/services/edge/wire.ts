/**
 * The HTTP file API of the edge services (the seed's FileServiceDO API), shared by EdgeFs and the
 * servers in fs-bridge/. Relative to a base URL:
 *   GET  read/<path>          Range: bytes=a-b | bytes=a-   -> 200 or 206 (Content-Range), ETag = version
 *   PUT  write/<path>?create&exclusive&truncate&append&offset=N   body = bytes -> {size, version}
 *   GET  readdir?path=        -> DirEntry[]
 *   GET  stat?path=           -> Metadata
 *   POST mkdir?path=          POST remove?path=&recursive=1      POST rename?from=&to=
 * Errors: {"error":{"code":<FsErrorCode>,"message"}} with the status below.
 */
import { FS_ERROR_CODES, FsError, type FsErrorCode } from '../../fs/error'

export const ERROR_STATUS: Record<FsErrorCode, number> = {
  'not-found': 404,
  exists: 409,
  'not-a-directory': 409,
  'is-a-directory': 409,
  'not-empty': 409,
  'permission-denied': 403,
  'read-only': 403,
  'invalid-path': 400,
  'invalid-argument': 400,
  conflict: 412,
  'too-large': 413,
  'rate-limited': 429,
  unavailable: 503,
  io: 500,
}

export interface WireError {
  error: { code: FsErrorCode; message: string }
}

export function errorBody(error: FsError): WireError {
  return { error: { code: error.code, message: error.detail } }
}

/** What a status means when the body does not say (a proxy or a server outside this API answered). */
const STATUS_CODE: Record<number, FsErrorCode> = {
  400: 'invalid-argument', 401: 'permission-denied', 403: 'permission-denied', 404: 'not-found', 409: 'conflict',
  412: 'conflict', 413: 'too-large', 429: 'rate-limited', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable',
}

/** The FsError a response stands for: its JSON body when it has one, else a code from the status. */
export async function errorFromResponse(res: Response, path?: string): Promise<FsError> {
  const text = await res.text().catch(() => '')
  try {
    const { error } = JSON.parse(text) as Partial<WireError>
    if (error && (FS_ERROR_CODES as readonly string[]).includes(error.code)) return new FsError(error.code, String(error.message ?? ''), path)
  } catch {
    // not JSON: the status decides
  }
  return new FsError(STATUS_CODE[res.status] ?? 'io', `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, path)
}

/** `path` (normalised, absolute) with each segment URL-encoded, without the leading slash. */
export function encodePath(path: string): string {
  return path === '/' ? '' : path.slice(1).split('/').map(encodeURIComponent).join('/')
}

export function decodePath(encoded: string): string {
  return '/' + encoded.split('/').map(decodeURIComponent).join('/')
}

/** Options of a write, as query parameters. */
export interface WriteOptions {
  create?: boolean
  exclusive?: boolean
  truncate?: boolean
  append?: boolean
  /** Write at this byte offset (default 0); ignored with append. */
  offset?: number
}

export function writeQuery(o: WriteOptions): string {
  const q = new URLSearchParams()
  for (const flag of ['create', 'exclusive', 'truncate', 'append'] as const) if (o[flag]) q.set(flag, '1')
  if (o.offset) q.set('offset', String(o.offset))
  const s = q.toString()
  return s ? `?${s}` : ''
}

export function parseWriteQuery(params: URLSearchParams): WriteOptions {
  const flag = (name: string) => params.get(name) === '1' || params.get(name) === 'true'
  const raw = params.get('offset') ?? '0'
  const offset = Number(raw)
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(offset)) throw new FsError('invalid-argument', `invalid offset ${raw}`)
  return { create: flag('create'), exclusive: flag('exclusive'), truncate: flag('truncate'), append: flag('append'), offset }
}

/** The size of a file of `current` bytes after a write of `length` bytes with `options`. */
export function sizeAfterWrite(current: number, options: WriteOptions, length: number): number {
  const base = options.truncate ? 0 : current
  if (options.append) return base + length
  return length === 0 ? base : Math.max(base, (options.offset ?? 0) + length)
}

/** A byte range request: `bytes=a-b` or `bytes=a-`; one range only. */
export function parseRange(header: string | null): { start: number; end?: number } | undefined {
  if (!header) return undefined
  const m = /^bytes=(\d+)-(\d*)$/.exec(header.trim())
  if (!m) throw new FsError('invalid-argument', `unsupported Range ${header}`)
  const start = Number(m[1])
  const end = m[2] === '' ? undefined : Number(m[2])
  if (end !== undefined && end < start) throw new FsError('invalid-argument', `invalid Range ${header}`)
  return { start, end }
}
