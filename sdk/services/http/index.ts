/**
 * HttpFs, mounted at /cap/http: HTTP requests as files, laid out as OANIX has them. Writing
 * `{"method","url","headers"?,"body"?,"timeout_secs"?}` to `request` queues request `req-N` (reading
 * `request` afterwards gives that id); it shows in `pending/<id>.json` until done, then
 * `responses/<id>.json` holds the response or the failure (remove it once read). Unlike OANIX, this
 * service performs the requests itself, with `fetch`: at most `maxConcurrent` at a time (the rest
 * wait in order), each within its timeout, bodies up to `maxBodyBytes` (a larger one fails the
 * request). With `proxy`, every request goes to `<proxy>/proxy/<absolute-url>` instead, signed
 * with NIP-98 when a `signer` is given.
 */
import { FsError } from '../../fs/error'
import { concatBytes } from '../../fs/handle'
import { toBytes, toText } from '../../fs/io'
import type { Signer } from '../../nostr/signer'
import { httpAuthHeader } from '../edge/nip98'
import { dir, file, FuncFs, jsonFile } from '../func'
import { checkRequest, isHttpUrl, parseRequest, type HttpRequest, type HttpRequestInput } from './request'

export { HTTP_METHODS, type HttpMethod, type HttpRequest, type HttpRequestInput } from './request'

/** `responses/<id>.json`: OANIX's HttpResponse, or its failure record. */
export type HttpResult =
  | { request_id: string; status: number; status_text: string; headers: Record<string, string>; body: string; duration_ms: number; completed_at: number }
  | { request_id: string; error: string; status: 'failed' }

export type Fetch = (url: string, init: RequestInit) => Promise<Response>

export interface HttpFsOptions {
  /** Default: the global fetch. */
  fetch?: Fetch
  /** Base URL of the platform's edge proxy, which serves `<proxy>/proxy/<absolute-url>`. */
  proxy?: string
  /**
   * Signs each proxied request with NIP-98, as the platform's proxy requires (unless it runs
   * with `PROXY_AUTH=none`). A request's own `Authorization` travels as `X-Proxy-Authorization`.
   */
  signer?: Signer
  /** Default 30, as OANIX. */
  defaultTimeoutSecs?: number
  /** Requests in flight at once; default 10. */
  maxConcurrent?: number
  /** Requests waiting or in flight before `request` refuses with `rate-limited`; default 1000. */
  maxPending?: number
  /** Largest response body kept; default 1 MiB. */
  maxBodyBytes?: number
}

const now = () => Math.floor(Date.now() / 1000)

/** An error's message with its cause (fetch reports "fetch failed" and puts the reason in the cause). */
function explain(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message
}

export class HttpFs extends FuncFs {
  private readonly fetch: Fetch
  private readonly proxy?: string
  private readonly signer?: Signer
  private readonly defaultTimeoutSecs: number
  private readonly maxConcurrent: number
  private readonly maxPending: number
  private readonly maxBodyBytes: number
  private nextId = 0
  private lastId = ''
  /** Waiting or in flight, in order. */
  private readonly pending = new Map<string, HttpRequest>()
  private readonly queue: HttpRequest[] = []
  private active = 0
  private readonly results = new Map<string, HttpResult>()
  private readonly settle = new Map<string, Array<(result: HttpResult) => void>>()

  constructor(options: HttpFsOptions = {}) {
    super(
      dir({
        request: file(
          () => this.lastId,
          // An empty flush (a handle opened with truncate and closed) asks for nothing.
          (data) => void (data.length > 0 && this.request(parseRequest(toText(data)) as HttpRequestInput)),
        ),
        pending: dir(() => new Map([...this.pending].map(([id, request]) => [`${id}.json`, jsonFile(() => request)]))),
        responses: dir(() => new Map([...this.results].map(([id, result]) => [`${id}.json`, this.responseFile(id, result)]))),
        status: jsonFile(() => this.status()),
      }),
    )
    this.fetch = options.fetch ?? ((url, init) => fetch(url, init))
    if (options.proxy !== undefined && !isHttpUrl(options.proxy)) throw new TypeError('proxy must be an http or https URL')
    this.proxy = options.proxy?.replace(/\/+$/, '')
    this.signer = options.signer
    this.defaultTimeoutSecs = options.defaultTimeoutSecs ?? 30
    this.maxConcurrent = options.maxConcurrent ?? 10
    this.maxPending = options.maxPending ?? 1000
    this.maxBodyBytes = options.maxBodyBytes ?? 1 << 20
  }

  private responseFile(id: string, result: HttpResult) {
    return file(
      () => JSON.stringify(result, null, 2),
      undefined,
      () => {
        this.results.delete(id)
        this.notify({ type: 'modify', path: '/status' })
      },
    )
  }

  status() {
    const failed = [...this.results.values()].filter((r) => r.status === 'failed').length
    return {
      pending_count: this.pending.size,
      completed_count: this.results.size - failed,
      failed_count: failed,
      default_timeout_secs: this.defaultTimeoutSecs,
      max_concurrent: this.maxConcurrent,
    }
  }

  /** Queues a request; returns its id. Refused with `io` when malformed, `rate-limited` when too many wait. */
  request(input: HttpRequestInput): string {
    const request = checkRequest(input, { id: `req-${this.nextId}`, timeoutSecs: this.defaultTimeoutSecs, now: now() })
    if (this.pending.size >= this.maxPending) throw new FsError('rate-limited', `${this.maxPending} requests are already pending`, '/request')
    this.nextId++
    this.lastId = request.id
    this.pending.set(request.id, request)
    this.queue.push(request)
    this.notify({ type: 'create', path: `/pending/${request.id}.json` })
    this.notify({ type: 'modify', path: '/status' })
    this.pump()
    return request.id
  }

  /** The response or failure of request `id`, once it is done. */
  result(id: string): Promise<HttpResult> {
    const done = this.results.get(id)
    if (done) return Promise.resolve(done)
    if (!this.pending.has(id)) return Promise.reject(new FsError('not-found', 'no such request', `/responses/${id}.json`))
    return new Promise((resolve) => this.settle.set(id, [...(this.settle.get(id) ?? []), resolve]))
  }

  private pump(): void {
    while (this.active < this.maxConcurrent && this.queue.length > 0) {
      this.active++
      void this.run(this.queue.shift()!)
    }
  }

  private async run(request: HttpRequest): Promise<void> {
    const started = Date.now()
    let result: HttpResult
    try {
      const response = await this.send(request)
      result = { request_id: request.id, ...response, duration_ms: Date.now() - started, completed_at: now() }
    } catch (error) {
      result = { request_id: request.id, error: explain(error), status: 'failed' }
    }
    this.active--
    this.pending.delete(request.id)
    this.results.set(request.id, result)
    this.notify({ type: 'delete', path: `/pending/${request.id}.json` })
    this.notify({ type: 'create', path: `/responses/${request.id}.json` })
    this.notify({ type: 'modify', path: '/status' })
    for (const resolve of this.settle.get(request.id) ?? []) resolve(result)
    this.settle.delete(request.id)
    this.pump()
  }

  private async send(request: HttpRequest) {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), request.timeout_secs * 1000)
    try {
      const url = this.proxy ? `${this.proxy}/proxy/${request.url}` : request.url
      const response = await this.fetch(url, {
        method: request.method,
        headers: this.proxy && this.signer ? await this.proxyHeaders(url, request) : request.headers,
        body: request.body ?? undefined,
        signal: controller.signal,
      })
      const body = await readBody(response, this.maxBodyBytes)
      const headers: Record<string, string> = {}
      response.headers.forEach((value, name) => (headers[name] = value))
      return { status: response.status, status_text: response.statusText, headers, body }
    } catch (error) {
      throw controller.signal.aborted ? new Error(`timed out after ${request.timeout_secs} s`) : error
    } finally {
      clearTimeout(timer)
    }
  }

  private async proxyHeaders(url: string, request: HttpRequest): Promise<Record<string, string>> {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase() === 'authorization' ? 'X-Proxy-Authorization' : name] = value
    const body = request.body == null ? undefined : toBytes(request.body)
    headers.Authorization = await httpAuthHeader(this.signer!, url, request.method, body)
    return headers
  }
}

/** The body as text, refused past `max` bytes without reading the rest. */
async function readBody(response: Response, max: number): Promise<string> {
  const tooLarge = () => new Error(`response body larger than ${max} bytes`)
  if (Number(response.headers.get('content-length')) > max) {
    await response.body?.cancel()
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > max) {
      await reader.cancel()
      throw tooLarge()
    }
    chunks.push(value)
  }
  return toText(concatBytes(chunks))
}
