/**
 * Which outbound targets /proxy and /cap/ws may reach: the given schemes only, and no private,
 * loopback, link-local, multicast or reserved addresses, unless the host is listed as allowed
 * (EDGE_ALLOW_HOSTS, for local development and tests). Pure. The URL parser canonicalises
 * numeric hosts (`2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`), so those forms are caught too;
 * names are not resolved here (Cloudflare's fetch does not reach private networks from a name).
 */

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string }

/** `host` or `host:port` entries of a comma-separated list, lower-cased. */
export function allowList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean)
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443' }

export function checkTarget(raw: string, schemes: readonly string[], allowed: readonly string[] = []): TargetCheck {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return { ok: false, reason: 'not an absolute URL' }
  }
  if (!schemes.includes(url.protocol)) return { ok: false, reason: `scheme ${url.protocol} is not allowed (only ${schemes.join(', ')})` }
  if (url.username || url.password) return { ok: false, reason: 'URLs with credentials are not allowed' }
  const host = url.hostname.toLowerCase()
  const port = url.port || DEFAULT_PORTS[url.protocol]
  if (allowed.includes(host) || allowed.includes(`${host}:${port}`)) return { ok: true, url }
  const why = privateReason(host)
  return why ? { ok: false, reason: `${host} is ${why}` } : { ok: true, url }
}

/** Why `host` (a URL's canonical hostname) is not public, or null when it is. */
export function privateReason(host: string): string | null {
  if (host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.') return 'loopback'
  if (host.startsWith('[')) return ipv6Reason(host.slice(1, -1))
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)
  return v4 ? ipv4Reason(v4.slice(1).map(Number)) : null
}

function ipv4Reason([a, b, c]: number[]): string | null {
  if (a === 127) return 'loopback'
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private'
  if (a === 100 && b >= 64 && b <= 127) return 'private (shared address space)'
  if (a === 169 && b === 254) return 'link-local'
  if (a === 0) return 'unspecified'
  if (a >= 224) return 'multicast or reserved'
  if ((a === 192 && b === 0 && c === 0) || (a === 198 && (b === 18 || b === 19))) return 'reserved'
  return null
}

/** The eight 16-bit groups of an IPv6 address as the URL parser writes it (compressed, hex). */
function ipv6Groups(address: string): number[] | null {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined]
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : [])
  const left = parse(head)
  const right = parse(tail)
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0), ...right]
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null
}

function ipv6Reason(address: string): string | null {
  const g = ipv6Groups(address)
  if (!g) return 'not a valid address'
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (zeroUpTo(7) && g[7] === 1) return 'loopback'
  if (zeroUpTo(8)) return 'unspecified'
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address in the last 32 bits.
  if ((zeroUpTo(5) && g[5] === 0xffff) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))) {
    return ipv4Reason([g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff])
  }
  if ((g[0] & 0xfe00) === 0xfc00) return 'private (unique local)'
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local'
  if ((g[0] & 0xff00) === 0xff00) return 'multicast'
  return null
}
