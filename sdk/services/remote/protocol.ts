/**
 * The fs-bridge wire format (fs-bridge/PROTOCOL.md), defined once for both ends: kinds, limits,
 * operations, error codes and the shapes of results and notifications, with the mapping between
 * them and the SDK's FileService types. Pure. The bridge imports from here (fs-bridge → sdk).
 */
import { isHex64 } from '../../dvm/kinds'
import { FsError, type FsErrorCode } from '../../fs/error'
import type { Change, ChangeType, DirEntry, Metadata } from '../../fs/types'

export const REQUEST_KIND = 25930
export const RESPONSE_KIND = 25931
export const NOTIFICATION_KIND = 25932
/** Reserved for mount manifests and snapshots. */
export const MANIFEST_KIND = 35930
export const GRANT_KIND = 35931

export const PROTOCOL_VERSION = 1

/** Seconds a request's created_at may lie from the bridge's clock, either way. */
export const CLOCK_SKEW = 60
/** Seconds a request, response or notification stays valid (its NIP-40 expiration). */
export const ANSWER_TTL = 60

/**
 * Raw bytes of inline data per event: 32 KiB once base64-encoded. Larger bodies travel as blobs.
 * (32 KiB raw becomes ~65.6K characters after base64 and NIP-44 padding, just over the 64 KiB
 * content limit most relays keep.)
 */
export const INLINE_MAX = 24 * 1024
export const INLINE_MAX_B64 = 32 * 1024
/** Largest body moved through the blob store. */
export const BLOB_MAX = 32 * 1024 * 1024

/** Up to 63 characters, so that `<owner pubkey>:<id>` names a tree of the bridge's (at most 128). */
const NS_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/
export const isNamespaceId = (s: unknown): s is string => typeof s === 'string' && NS_ID.test(s)

export const OPS = ['stat', 'readdir', 'read', 'write', 'mkdir', 'remove', 'rename', 'watch', 'unwatch'] as const
export type Op = (typeof OPS)[number]

export const WIRE_CODES = [
  'ENOENT', 'EACCES', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ENOTEMPTY', 'EROFS', 'EINVAL', 'ETOOBIG', 'EAGAIN', 'ECONFLICT', 'EIO',
] as const
export type WireCode = (typeof WIRE_CODES)[number]

export interface WireError {
  code: WireCode
  message: string
}

const WIRE_OF: Record<FsErrorCode, WireCode> = {
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

const FS_OF: Record<WireCode, FsErrorCode> = {
  ENOENT: 'not-found',
  EACCES: 'permission-denied',
  EEXIST: 'exists',
  ENOTDIR: 'not-a-directory',
  EISDIR: 'is-a-directory',
  ENOTEMPTY: 'not-empty',
  EROFS: 'read-only',
  // Paths are what requests carry most, and a service's invalid-path must come back as itself
  // (the behaviour suite checks it); a malformed argument also comes back as invalid-path.
  EINVAL: 'invalid-path',
  ETOOBIG: 'too-large',
  EAGAIN: 'rate-limited',
  ECONFLICT: 'conflict',
  EIO: 'io',
}

/** The wire code for an FsError code (the bridge's side). */
export const wireCodeOf = (code: FsErrorCode): WireCode => WIRE_OF[code]

/** The FsError code for a wire code; a code this version does not know is `io`. */
export const fsCodeOf = (code: string): FsErrorCode => (Object.hasOwn(FS_OF, code) ? FS_OF[code as WireCode] : 'io')

/** A refusal from the bridge as the FsError a FileService throws. */
export const fsErrorOf = (error: WireError, path?: string): FsError => new FsError(fsCodeOf(error.code), error.message, path)

export type Result = Record<string, unknown>
export type ResponseBody = { ok: true; result: Result } | { ok: false; error: WireError }

/** A body held in the blob store, by sha256; `url` is where to fetch it (relative to the store). */
export interface BlobRef {
  x: string
  size: number
  url?: string
}

/** Results as the bridge sends them: types, not interfaces, so each is a `Result` as it is. */
export type WireStat = {
  is_dir: boolean
  size: number
  modified: number
  readonly: boolean
  etag: string
}

export type WireEntry = {
  name: string
  is_dir: boolean
  size: number
}

export interface WireChange {
  type: ChangeType
  path: string
  to?: string
  size?: number
  etag?: string
}

/** Why the bridge ended a watch: its time ran out, the watcher's grant no longer covers it, the namespace was replaced or deleted. */
export type ClosedReason = 'expired' | 'revoked' | 'ended'

export interface NotificationBody {
  seq: number
  changes: WireChange[]
  /** Set on the last notification of a watch that the bridge ended. */
  closed?: ClosedReason
}

/** The decrypted content of a request. */
export function requestBody(op: Op, ns: string, path: string, args: Record<string, unknown> = {}): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, op, ns, path, args })
}

export function statResult(meta: Metadata): WireStat {
  return { is_dir: meta.kind === 'dir', size: meta.size, modified: meta.modified, readonly: meta.readonly, etag: meta.version }
}

export const entryResult = (e: DirEntry): WireEntry => ({ name: e.name, is_dir: e.kind === 'dir', size: e.size })

export function wireChange(c: Change): WireChange {
  return {
    type: c.type, path: c.path,
    ...(c.to !== undefined ? { to: c.to } : {}), ...(c.size !== undefined ? { size: c.size } : {}), ...(c.version !== undefined ? { etag: c.version } : {}),
  }
}

class Malformed extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const count = (v: unknown, field: string): number => {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new Malformed(`${field} is not a count`)
  return v as number
}
const text = (v: unknown, field: string): string => {
  if (typeof v !== 'string') throw new Malformed(`${field} is not a string`)
  return v
}

/** Reads a bridge answer with `read`; a shape it does not have is an `io` error naming the field. */
export function decode<T>(what: string, value: unknown, read: (v: Record<string, unknown>) => T, path?: string): T {
  try {
    if (!isRecord(value)) throw new Malformed('not an object')
    return read(value)
  } catch (err) {
    if (err instanceof Malformed) throw new FsError('io', `malformed ${what} from the bridge: ${err.message}`, path)
    throw err
  }
}

export const metadataOf = (r: Record<string, unknown>): Metadata => ({
  kind: r.is_dir === true ? 'dir' : 'file',
  size: count(r.size, 'size'),
  modified: count(r.modified ?? 0, 'modified'),
  version: text(r.etag, 'etag'),
  readonly: r.readonly === true,
})

/** One readdir page: its entries and the cursor of the next, if any. */
export function pageOf(r: Record<string, unknown>): { entries: DirEntry[]; next?: string } {
  if (!Array.isArray(r.entries)) throw new Malformed('entries is not a list')
  const entries = r.entries.map((e: unknown, i): DirEntry => {
    if (!isRecord(e)) throw new Malformed(`entries[${i}] is not an object`)
    return { name: text(e.name, 'name'), kind: e.is_dir === true ? 'dir' : 'file', size: count(e.size ?? 0, 'size') }
  })
  return r.next_cursor === undefined ? { entries } : { entries, next: text(r.next_cursor, 'next_cursor') }
}

const blobOf = (v: unknown): BlobRef => {
  if (!isRecord(v) || !isHex64(v.x)) throw new Malformed('blob.x is not a sha256')
  return { x: v.x, size: count(v.size, 'blob.size'), ...(v.url !== undefined ? { url: text(v.url, 'blob.url') } : {}) }
}

export type ReadData = { data_b64: string } | { blob: BlobRef }

/** A read's result: the bytes inline or as a blob, whether the file ends there, and its etag. */
export function readOf(r: Record<string, unknown>): { data: ReadData; eof: boolean; etag: string } {
  const data: ReadData = r.blob !== undefined ? { blob: blobOf(r.blob) } : { data_b64: text(r.data_b64, 'data_b64') }
  return { data, eof: r.eof === true, etag: text(r.etag, 'etag') }
}

export const writeOf = (r: Record<string, unknown>) => ({ size: count(r.size, 'size'), etag: text(r.etag, 'etag') })

const CHANGE_TYPES: readonly string[] = ['create', 'modify', 'delete', 'rename'] satisfies ChangeType[]

export function changeOf(c: unknown): Change {
  if (!isRecord(c) || !CHANGE_TYPES.includes(c.type as string)) throw new Malformed('a change has no known type')
  return {
    type: c.type as ChangeType, path: text(c.path, 'path'),
    ...(c.to !== undefined ? { to: text(c.to, 'to') } : {}),
    ...(c.size !== undefined ? { size: count(c.size, 'size') } : {}),
    ...(c.etag !== undefined ? { version: text(c.etag, 'etag') } : {}),
  }
}

/** The decrypted content of a response, or null when it is not one. */
export function readResponse(plaintext: string): ResponseBody | null {
  let body: unknown
  try {
    body = JSON.parse(plaintext)
  } catch {
    return null
  }
  if (!isRecord(body)) return null
  if (body.ok === true && isRecord(body.result)) return { ok: true, result: body.result }
  if (body.ok === false && isRecord(body.error) && typeof body.error.code === 'string') {
    return { ok: false, error: { code: body.error.code as WireCode, message: String(body.error.message ?? '') } }
  }
  return null
}

/**
 * The decrypted content of a notification, its changes as SDK changes; null when it is not one.
 * `closed` is kept whatever its reason, so a reason a later bridge adds still ends the watch.
 */
export function readNotification(plaintext: string): { seq: number; changes: Change[]; closed?: string } | null {
  try {
    const body = JSON.parse(plaintext) as unknown
    if (!isRecord(body) || !Number.isSafeInteger(body.seq) || !Array.isArray(body.changes)) return null
    const closed = typeof body.closed === 'string' && body.closed !== '' ? body.closed : undefined
    return { seq: body.seq as number, changes: body.changes.map(changeOf), ...(closed ? { closed } : {}) }
  } catch {
    return null
  }
}
