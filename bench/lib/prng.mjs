// Deterministic randomness: sfc32 seeded from sha256(seed parts), so event i of a corpus
// depends only on (seed, i) and corpora can be generated in parallel and extended.
import { createHash } from 'node:crypto'

export const sha256 = (s) => createHash('sha256').update(s).digest()

/** A PRNG returning floats in [0, 1), seeded by any strings/numbers. */
export function rng(...parts) {
  const h = sha256(parts.join(':'))
  let a = h.readUInt32LE(0), b = h.readUInt32LE(4), c = h.readUInt32LE(8), d = h.readUInt32LE(12)
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 8; i++) next()
  return next
}

/** Helpers over a PRNG: integers, picks, skewed picks (low indices more often). */
export function tools(r) {
  const int = (n) => Math.floor(r() * n)
  return {
    r,
    int,
    pick: (arr) => arr[int(arr.length)],
    /** Index in [0, n) with density falling off like 1/sqrt: a few popular, many rare. */
    skewed: (n) => Math.floor(n * r() * r()),
    hex: (bytes) => {
      let s = ''
      for (let i = 0; i < bytes; i++) s += int(256).toString(16).padStart(2, '0')
      return s
    },
  }
}
