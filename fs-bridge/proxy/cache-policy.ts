/**
 * Whether and for how long the edge proxy may keep a response, as a shared cache under RFC 9111:
 * GET only, explicit freshness only (no heuristics), nothing private, no-cache, no-store, with
 * cookies, or varying on everything; a request sent with credentials only when the response says
 * public or s-maxage. Pure.
 */

/** Statuses a cache may store (RFC 9110 §15.1 "heuristically cacheable", here with explicit freshness). */
const CACHEABLE_STATUS = new Set([200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501])

/** A year: the longest the proxy keeps anything. */
export const MAX_TTL = 31_536_000

export interface Directives {
  [name: string]: string | true
}

export function parseCacheControl(value: string | null): Directives {
  const out: Directives = {}
  for (const part of (value ?? '').split(',')) {
    const [name, ...rest] = part.trim().split('=')
    if (!name) continue
    out[name.toLowerCase()] = rest.length > 0 ? rest.join('=').trim().replace(/^"|"$/g, '') : true
  }
  return out
}

const seconds = (v: string | true | undefined) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined)

/** The request asks not to be served from cache. */
export function bypassesCache(request: Headers): boolean {
  const cc = parseCacheControl(request.get('Cache-Control'))
  return cc['no-cache'] === true || cc['no-store'] === true || seconds(cc['max-age']) === 0 || /no-cache/i.test(request.get('Pragma') ?? '')
}

/** The header names a stored response varies on (lower-case, sorted), or null for `Vary: *`. */
export function varyNames(response: Headers): string[] | null {
  const names = (response.get('Vary') ?? '').split(',').map((n) => n.trim().toLowerCase()).filter(Boolean)
  return names.includes('*') ? null : [...new Set(names)].sort()
}

/** Seconds the response stays fresh in the proxy's cache; 0 when it must not be stored. */
export function cacheTtl(method: string, request: Headers, status: number, response: Headers, now: number): number {
  if (method !== 'GET' || !CACHEABLE_STATUS.has(status)) return 0
  const cc = parseCacheControl(response.get('Cache-Control'))
  if (cc['no-store'] || cc['private'] || cc['no-cache']) return 0
  if (response.has('Set-Cookie') || varyNames(response) === null) return 0
  if (parseCacheControl(request.get('Cache-Control'))['no-store']) return 0
  if (request.has('Authorization') && !cc['public'] && seconds(cc['s-maxage']) === undefined) return 0
  let lifetime = seconds(cc['s-maxage']) ?? seconds(cc['max-age'])
  if (lifetime === undefined && response.has('Expires')) {
    const expires = Date.parse(response.get('Expires')!)
    const date = Date.parse(response.get('Date') ?? '') || now * 1000
    lifetime = Number.isNaN(expires) ? 0 : Math.floor((expires - date) / 1000)
  }
  const age = seconds(response.get('Age') ?? undefined) ?? 0
  return Math.min(MAX_TTL, Math.max(0, (lifetime ?? 0) - age))
}
