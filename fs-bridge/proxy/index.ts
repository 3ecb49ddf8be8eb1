/**
 * The edge HTTP proxy HttpFs uses: `/proxy/<absolute URL>` fetches the URL from the Worker and
 * answers with the origin's response. Only public http(s) targets (see ../target.ts); redirects
 * are passed back, not followed, so they cannot lead inside; bodies are capped both ways and the
 * origin has a time limit. Cacheable GET responses are kept with the Cache API per URL and the
 * request headers they vary on; answers carry `X-Cache: HIT`, `MISS` or `BYPASS`. The caller's
 * `Authorization` is for the proxy (NIP-98); `X-Proxy-Authorization` reaches the origin as its
 * `Authorization`.
 */
import type { EdgeEnv } from '../env'
import { allowList, checkTarget } from '../target'
import { bypassesCache, cacheTtl, varyNames } from './cache-policy'
import { readCapped } from '../bytes'

export const DEFAULT_MAX_BYTES = 10 << 20
export const DEFAULT_TIMEOUT_MS = 30_000

/** Headers that belong to one hop, or to the caller's relation with the proxy, not the origin's. */
const HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade',
  'host', 'authorization', 'cookie', 'content-length', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'x-real-ip',
  'x-proxy-authorization',
])
const RESPONSE_DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'set-cookie', 'content-length', 'content-encoding'])

const CACHE_ORIGIN = 'https://proxy-cache.invalid'

export function proxyError(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'X-Cache': 'BYPASS' } })
}

/** The target URL of a `/proxy/…` request (the path after the prefix, with the query). */
export function targetOf(requestUrl: string, prefix = '/proxy/'): string {
  const url = new URL(requestUrl)
  let target = url.pathname.slice(prefix.length) + url.search
  if (/^[a-z][a-z0-9+.-]*%3A/i.test(target)) target = decodeURIComponent(target)
  // Some clients collapse `//` in paths: `https:/example.com` means `https://example.com`.
  return target.replace(/^([a-z][a-z0-9+.-]*):\/(?!\/)/i, '$1://')
}

async function hash(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

const indexKey = async (target: string) => new Request(`${CACHE_ORIGIN}/index/${await hash(target)}`)
const entryKey = async (target: string, names: string[], headers: Headers) =>
  new Request(`${CACHE_ORIGIN}/entry/${await hash([target, ...names.map((n) => `${n}:${headers.get(n) ?? ''}`)].join('\n'))}`)

async function cached(cache: Cache, target: string, headers: Headers): Promise<Response | undefined> {
  const index = await cache.match(await indexKey(target))
  if (!index) return undefined
  const hit = await cache.match(await entryKey(target, (await index.json()) as string[], headers))
  if (!hit) return undefined
  const out = new Response(hit.body, hit)
  const original = out.headers.get('X-Origin-Cache-Control')
  if (original === null) out.headers.delete('Cache-Control')
  else out.headers.set('Cache-Control', original)
  out.headers.delete('X-Origin-Cache-Control')
  out.headers.set('X-Cache', 'HIT')
  return out
}

/** Stores `body` under its variant, with our TTL on the copy and the origin's Cache-Control kept aside. */
async function store(cache: Cache, target: string, headers: Headers, response: Response, body: Uint8Array, ttl: number): Promise<void> {
  const names = varyNames(response.headers) ?? []
  const copy = new Headers(response.headers)
  const original = copy.get('Cache-Control')
  if (original !== null) copy.set('X-Origin-Cache-Control', original)
  copy.set('Cache-Control', `public, max-age=${ttl}`)
  copy.delete('Age')
  await cache.put(await entryKey(target, names, headers), new Response(body, { status: response.status, statusText: response.statusText, headers: copy }))
  await cache.put(await indexKey(target), Response.json(names, { headers: { 'Cache-Control': `public, max-age=${ttl}` } }))
}

export async function proxy(request: Request, env: EdgeEnv): Promise<Response> {
  const target = checkTarget(targetOf(request.url), ['http:', 'https:'], allowList(env.EDGE_ALLOW_HOSTS))
  if (!target.ok) return proxyError(403, 'permission-denied', `refused target: ${target.reason}`)
  const maxBytes = Number(env.PROXY_MAX_BYTES ?? DEFAULT_MAX_BYTES)
  const timeout = Number(env.PROXY_TIMEOUT_MS ?? DEFAULT_TIMEOUT_MS)

  const headers = new Headers()
  request.headers.forEach((value, name) => {
    if (!HOP.has(name) && !name.startsWith('cf-')) headers.set(name, value)
  })
  const credentials = request.headers.get('X-Proxy-Authorization')
  if (credentials !== null) headers.set('Authorization', credentials)

  const url = target.url.href
  const cacheable = request.method === 'GET' || request.method === 'HEAD'
  const cache = cacheable ? await caches.open('edge-proxy') : undefined
  if (cache && !bypassesCache(headers)) {
    const hit = await cached(cache, url, headers)
    if (hit) return request.method === 'HEAD' ? new Response(null, hit) : hit
  }

  let body: Uint8Array | undefined
  if (!cacheable) {
    const read = await readCapped(request.body, Number(request.headers.get('Content-Length') ?? 0), maxBytes)
    if (read === null) return proxyError(413, 'too-large', `request body larger than ${maxBytes} bytes`)
    body = read
  }
  let origin: Response
  try {
    origin = await fetch(url, { method: request.method, headers, body: body as BodyInit | undefined, redirect: 'manual', signal: AbortSignal.timeout(timeout) })
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return timedOut
      ? proxyError(504, 'unavailable', `the origin did not answer within ${timeout} ms`)
      : proxyError(502, 'unavailable', `the origin could not be reached: ${error instanceof Error ? error.message : String(error)}`)
  }
  const content = await readCapped(origin.body, Number(origin.headers.get('Content-Length') ?? 0), maxBytes)
  if (content === null) return proxyError(502, 'too-large', `response body larger than ${maxBytes} bytes`)

  const out = new Headers()
  origin.headers.forEach((value, name) => {
    if (!RESPONSE_DROPPED.has(name)) out.set(name, value)
  })
  const ttl = request.method === 'GET' ? cacheTtl('GET', headers, origin.status, origin.headers, Math.floor(Date.now() / 1000)) : 0
  out.set('X-Cache', ttl > 0 ? 'MISS' : 'BYPASS')
  const response = new Response(request.method === 'HEAD' || origin.status === 204 || origin.status === 304 ? null : content, {
    status: origin.status,
    statusText: origin.statusText,
    headers: out,
  })
  if (cache && ttl > 0) await store(cache, url, headers, response, content, ttl)
  return response
}
