/** A seeded generator of hostile frames: random bytes and text, truncated and mutated messages. */

export type Rng = () => number

/** mulberry32: small, fast, deterministic for a seed. */
export function rng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const int = (r: Rng, n: number) => Math.floor(r() * n)
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]

const ALPHABET = [...'[]{}",:\\ 0123456789abcdefEVNTREQCLOSUTHxyz-#_.eE+\n\t\u0000\u00e9\u20ac\u{1f600}\ud800']
const VERBS = ['EVENT', 'REQ', 'CLOSE', 'COUNT', 'AUTH', 'EOSE', 'OK', 'NOTICE', 'req', '', 'EVENT ']
const KEYS = ['ids', 'authors', 'kinds', '#e', '#p', '#t', '#T', 'since', 'until', 'limit', 'search', '', '#', '##', 'id', 'kind']

function randomText(r: Rng, max = 80): string {
  let s = ''
  const n = int(r, max)
  for (let i = 0; i < n; i++) s += pick(r, ALPHABET)
  return s
}

/** A random JSON value; objects are never empty, so mutated filters rarely match everything. */
function randomValue(r: Rng, depth = 0): unknown {
  switch (int(r, depth > 2 ? 6 : 9)) {
    case 0:
      return null
    case 1:
      return pick(r, [0, -1, 1, 1.5, 2 ** 53, -(2 ** 53), 1e308, 65536, 4294967296, 1e-7])
    case 2:
      return r() < 0.5
    case 3:
      return randomText(r, 20)
    case 4:
      return 'f'.repeat(pick(r, [0, 63, 64, 65, 128, 129]))
    case 5:
      return pick(r, VERBS)
    case 6:
      return Array.from({ length: int(r, 4) }, () => randomValue(r, depth + 1))
    case 7:
      return [pick(r, VERBS), ...Array.from({ length: int(r, 3) }, () => randomValue(r, depth + 1))]
    default:
      return Object.fromEntries(Array.from({ length: 1 + int(r, 3) }, () => [pick(r, KEYS), randomValue(r, depth + 1)]))
  }
}

/** Replaces one randomly chosen node of a JSON structure with a random value. */
function mutateStructure(r: Rng, msg: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(msg))
  let node: unknown = copy
  for (let depth = 0; depth < 4; depth++) {
    if (typeof node !== 'object' || node === null) break
    const keys = Object.keys(node)
    if (keys.length === 0) break
    const key = pick(r, keys)
    const child = (node as Record<string, unknown>)[key]
    if (depth > 0 && (r() < 0.4 || typeof child !== 'object' || child === null)) {
      if (r() < 0.15 && !Array.isArray(node)) delete (node as Record<string, unknown>)[key]
      else (node as Record<string, unknown>)[key] = randomValue(r)
      return copy
    }
    node = child
  }
  return [pick(r, VERBS), randomValue(r)]
}

function mutateText(r: Rng, text: string): string {
  let s = text
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const at = int(r, s.length + 1)
    const c = pick(r, ALPHABET)
    const op = int(r, 3)
    s = op === 0 ? s.slice(0, at) + c + s.slice(at + 1) : op === 1 ? s.slice(0, at) + c + s.slice(at) : s.slice(0, at) + s.slice(at + 1)
  }
  return s
}

/** One hostile frame: text (a string) or binary (bytes), derived from the valid `templates`. */
export function hostileFrame(r: Rng, templates: unknown[]): string | Uint8Array {
  const template = pick(r, templates)
  const roll = r()
  if (roll < 0.08) return Uint8Array.from({ length: int(r, 64) }, () => int(r, 256))
  if (roll < 0.2) return randomText(r)
  if (roll < 0.35) {
    const text = JSON.stringify(template)
    return text.slice(0, int(r, text.length))
  }
  if (roll < 0.6) return mutateText(r, JSON.stringify(template))
  if (roll < 0.88) return JSON.stringify(mutateStructure(r, template))
  if (roll < 0.95) return JSON.stringify(randomValue(r))
  return JSON.stringify(template)
}
