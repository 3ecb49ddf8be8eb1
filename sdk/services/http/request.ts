/** What HttpFs accepts at `/request`, checked before anything is queued. */
import { FsError } from '../../fs/error'

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const
export type HttpMethod = (typeof HTTP_METHODS)[number]

/** What an agent writes to `request`. */
export interface HttpRequestInput {
  /** Default GET. */
  method?: string
  url: string
  headers?: Record<string, string>
  body?: string | null
  timeout_secs?: number
}

/** A queued request, as `pending/<id>.json` shows it (OANIX's HttpRequest). */
export interface HttpRequest {
  id: string
  method: HttpMethod
  url: string
  headers: Record<string, string>
  body: string | null
  timeout_secs: number
  /** Unix seconds. */
  created_at: number
}

const bad = (why: string) => new FsError('invalid-argument', `invalid request: ${why}`, '/request')

/** `input` checked and completed with defaults; refused with `io` when malformed. */
export function checkRequest(input: unknown, defaults: { id: string; timeoutSecs: number; now: number }): HttpRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw bad('not a JSON object')
  const { method = 'GET', url, headers = {}, body = null, timeout_secs = defaults.timeoutSecs } = input as Record<string, unknown>
  const upper = typeof method === 'string' ? method.toUpperCase() : ''
  if (!(HTTP_METHODS as readonly string[]).includes(upper)) throw bad(`"method" must be one of ${HTTP_METHODS.join(', ')}`)
  if (typeof url !== 'string' || !isHttpUrl(url)) throw bad('"url" must be an absolute http or https URL')
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    throw bad('"headers" must be an object of strings')
  }
  if (body !== null && typeof body !== 'string') throw bad('"body" must be a string')
  if (body !== null && (upper === 'GET' || upper === 'HEAD')) throw bad(`a ${upper} request cannot have a body`)
  if (typeof timeout_secs !== 'number' || !(timeout_secs > 0) || !Number.isFinite(timeout_secs)) throw bad('"timeout_secs" must be a positive number')
  return {
    id: defaults.id,
    method: upper as HttpMethod,
    url,
    headers: { ...(headers as Record<string, string>) },
    body,
    timeout_secs,
    created_at: defaults.now,
  }
}

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

/** Parses a flushed write to `request`. */
export function parseRequest(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw bad('not JSON')
  }
}
