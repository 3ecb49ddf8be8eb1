/**
 * Reading a request: the event's envelope (kind, addressee, time) and the decrypted body, checked
 * field by field into a typed request. Pure; the signature is checked before, by the caller.
 */
import { isHex64 } from '../../../sdk/dvm/kinds'
import { FsError } from '../../../sdk/fs/error'
import { base64ToBytes } from '../../../sdk/fs/io'
import { normalizePath } from '../../../sdk/fs/path'
import type { NostrEvent } from '../../../sdk/nostr/signer'
import {
  BLOB_MAX, CLOCK_SKEW, INLINE_MAX_B64, isNamespaceId, OPS, PROTOCOL_VERSION, REQUEST_KIND, type Op, type WireError,
} from '../../../sdk/services/remote/protocol'
import { refusal } from './errors'
import { READDIR_DEFAULT_LIMIT, READDIR_MAX_LIMIT } from './limits'

export type WriteBody = { data: Uint8Array } | { blob: { x: string; size: number } }

interface Target {
  ns: string
  path: string
}

export type FsRequest = Target &
  (
    | { op: 'stat' }
    | { op: 'readdir'; cursor?: string; limit: number }
    | { op: 'read'; offset: number; count?: number }
    | { op: 'write'; body: WriteBody; offset?: number; create: boolean; truncate: boolean; append: boolean; exclusive: boolean; ifMatch?: string }
    | { op: 'mkdir'; parents: boolean }
    | { op: 'remove'; recursive: boolean }
    | { op: 'rename'; to: string }
    | { op: 'watch'; recursive: boolean; renew?: string }
    | { op: 'unwatch'; watchId: string }
  )

export type Parsed<T> = { ok: T } | { error: WireError }

export type EnvelopeVerdict = { accept: true } | { drop: string } | { refuse: WireError }

const tagValue = (e: NostrEvent, name: string) => e.tags.find((t) => t[0] === name)?.[1]

/**
 * Whether a (signature-checked) event is a request for this bridge that may be served now. Events
 * of another kind or for another bridge are dropped unanswered: they are none of its business.
 */
export function checkEnvelope(event: NostrEvent, bridge: string, now: number): EnvelopeVerdict {
  if (event.kind !== REQUEST_KIND) return { drop: `kind ${event.kind} is not a request` }
  if (!event.tags.some((t) => t[0] === 'p' && t[1] === bridge)) return { drop: 'not addressed to this bridge' }
  if (Math.abs(event.created_at - now) > CLOCK_SKEW) return { refuse: refusal('EINVAL', `created_at is not within ${CLOCK_SKEW} s of the bridge's clock`) }
  const expiration = tagValue(event, 'expiration')
  if (expiration !== undefined && !/^\d{1,15}$/.test(expiration)) return { refuse: refusal('EINVAL', 'expiration tag is not a timestamp') }
  if (expiration !== undefined && Number(expiration) <= now) return { refuse: refusal('EINVAL', 'request has expired') }
  return { accept: true }
}

/** Seconds kept past a request's last acceptable moment, so a late duplicate still finds its answer. */
const SEEN_MARGIN = 600
const SEEN_MAX = 86400

/**
 * Until when a request id must be remembered: past the end of its acceptance window (created_at +
 * skew, after which the time check refuses it anyway) and past its expiration, capped at a day.
 */
export function rememberUntil(event: NostrEvent): number {
  const expiration = Number(tagValue(event, 'expiration') ?? 0) || 0
  const end = Math.max(event.created_at + CLOCK_SKEW, Math.min(expiration, event.created_at + SEEN_MAX))
  return end + SEEN_MARGIN
}

/**
 * A path as the namespace will see it. Besides the SDK's rules (absolute, no `.`/`..`/empty
 * segments, no NUL), refuses what a service could turn into one of those later: percent-encoded
 * dots, slashes or NUL, backslashes (URL parsers read them as `/`), and control characters.
 */
export function checkPath(raw: unknown, field = 'path'): Parsed<string> {
  if (typeof raw !== 'string') return { error: refusal('EINVAL', `${field} must be a string`) }
  let path: string
  try {
    path = normalizePath(raw)
  } catch (err) {
    return { error: refusal('EINVAL', `${field}: ${err instanceof FsError ? err.detail : 'invalid'}`) }
  }
  if (/[\u0000-\u001f\u007f\\]/.test(path)) return { error: refusal('EINVAL', `${field}: control characters and backslashes are not allowed`) }
  if (/%(2f|5c|00)/i.test(path)) return { error: refusal('EINVAL', `${field}: percent-encoded separators are not allowed`) }
  for (const segment of path.split('/')) {
    if (/^(\.|%2e){1,2}$/i.test(segment)) return { error: refusal('EINVAL', `${field}: encoded dot segments are not allowed`) }
  }
  return { ok: path }
}

const ARG_NAMES: Record<Op, readonly string[]> = {
  stat: [],
  readdir: ['cursor', 'limit'],
  read: ['offset', 'count'],
  write: ['data_b64', 'blob', 'offset', 'create', 'truncate', 'append', 'exclusive', 'if_match'],
  mkdir: ['parents'],
  remove: ['recursive'],
  rename: ['to'],
  watch: ['recursive', 'watch_id'],
  unwatch: ['watch_id'],
}

class Invalid extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message)
  }
}

const invalid = (message: string, code: WireError['code'] = 'EINVAL'): never => {
  throw new Invalid(refusal(code, message))
}

/** Typed readers for one request's args; each throws `Invalid` naming the argument. */
function reader(args: Record<string, unknown>) {
  const has = (k: string) => args[k] !== undefined
  return {
    has,
    flag: (k: string) => {
      if (has(k) && typeof args[k] !== 'boolean') invalid(`${k} must be true or false`)
      return args[k] === true
    },
    int: (k: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined => {
      if (!has(k)) return undefined
      const v = args[k]
      if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) invalid(`${k} must be an integer from ${min} to ${max}`)
      return v as number
    },
    string: (k: string, max: number): string | undefined => {
      if (!has(k)) return undefined
      const v = args[k]
      if (typeof v !== 'string' || v.length === 0 || v.length > max) invalid(`${k} must be a string of 1 to ${max} characters`)
      return v as string
    },
    id: (k: string): string | undefined => {
      if (!has(k)) return undefined
      if (!isHex64(args[k])) invalid(`${k} must be 64 lowercase hex characters`)
      return args[k] as string
    },
  }
}

function writeBody(args: Record<string, unknown>): WriteBody {
  if (args.data_b64 !== undefined && args.blob !== undefined) invalid('give data_b64 or blob, not both')
  if (args.blob !== undefined) {
    const blob = args.blob as Record<string, unknown>
    if (typeof blob !== 'object' || blob === null || !isHex64(blob.x)) invalid('blob.x must be a sha256 in lowercase hex')
    if (!Number.isSafeInteger(blob.size) || (blob.size as number) < 0) invalid('blob.size must be a non-negative integer')
    if ((blob.size as number) > BLOB_MAX) invalid(`body is larger than ${BLOB_MAX} bytes`, 'ETOOBIG')
    return { blob: { x: blob.x as string, size: blob.size as number } }
  }
  const text = args.data_b64 ?? ''
  if (typeof text !== 'string') return invalid('data_b64 must be a base64 string')
  if (text.length > INLINE_MAX_B64) invalid(`inline data is larger than ${INLINE_MAX_B64} base64 characters; send it as a blob`, 'ETOOBIG')
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) invalid('data_b64 is not base64')
  return { data: base64ToBytes(text) }
}

function readOp(op: Op, target: Target, args: Record<string, unknown>): FsRequest {
  const r = reader(args)
  switch (op) {
    case 'stat':
      return { op, ...target }
    case 'readdir':
      return { op, ...target, cursor: r.string('cursor', 255), limit: r.int('limit', 1, READDIR_MAX_LIMIT) ?? READDIR_DEFAULT_LIMIT }
    case 'read':
      return { op, ...target, offset: r.int('offset', 0) ?? 0, count: r.int('count', 1) }
    case 'write': {
      const request = {
        op, ...target, body: writeBody(args), offset: r.int('offset', 0), create: r.flag('create'), truncate: r.flag('truncate'),
        append: r.flag('append'), exclusive: r.flag('exclusive'), ifMatch: r.string('if_match', 128),
      }
      if (request.append && request.offset !== undefined) invalid('offset and append exclude each other')
      if (request.exclusive && !request.create) invalid('exclusive needs create')
      return request
    }
    case 'mkdir':
      return { op, ...target, parents: r.flag('parents') }
    case 'remove':
      return { op, ...target, recursive: r.flag('recursive') }
    case 'rename': {
      const to = checkPath(args.to, 'to')
      if ('error' in to) throw new Invalid(to.error)
      return { op, ...target, to: to.ok }
    }
    case 'watch':
      return { op, ...target, recursive: r.flag('recursive'), renew: r.id('watch_id') }
    case 'unwatch':
      return { op, ...target, watchId: r.id('watch_id') ?? invalid('watch_id is required') }
  }
}

/** The decrypted content of a request, as a typed request or the reason it is refused. */
export function parseRequest(plaintext: string): Parsed<FsRequest> {
  let body: unknown
  try {
    body = JSON.parse(plaintext)
  } catch {
    return { error: refusal('EINVAL', 'content is not JSON') }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: refusal('EINVAL', 'content must be a JSON object') }
  const { v, op, ns, path, args = {} } = body as Record<string, unknown>
  if (v !== PROTOCOL_VERSION) return { error: refusal('EINVAL', `v must be ${PROTOCOL_VERSION}`) }
  if (!OPS.includes(op as Op)) return { error: refusal('EINVAL', `op must be one of ${OPS.join(', ')}`) }
  if (!isNamespaceId(ns)) return { error: refusal('EINVAL', 'ns must be 1 to 63 letters, digits, ".", "_" or "-"') }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { error: refusal('EINVAL', 'args must be an object') }
  const unknown = Object.keys(args).filter((k) => !ARG_NAMES[op as Op].includes(k))
  if (unknown.length > 0) return { error: refusal('EINVAL', `unknown argument ${unknown[0]} for ${String(op)}`) }
  const checked = checkPath(path)
  if ('error' in checked) return checked
  try {
    return { ok: readOp(op as Op, { ns, path: checked.ok }, args as Record<string, unknown>) }
  } catch (err) {
    if (err instanceof Invalid) return { error: err.wire }
    throw err
  }
}
