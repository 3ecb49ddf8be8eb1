/**
 * Names of log segments: each append is one R2 object whose key sorts after every earlier one
 * (time, then a counter within this isolate, then randomness across isolates), so a listing
 * returns a log in order. Pure apart from the clock and the counter.
 */

let lastMs = 0
let counter = 0

export function nextSegmentName(now = Date.now()): string {
  const ms = Math.max(now, lastMs)
  counter = ms === lastMs ? counter + 1 : 0
  lastMs = ms
  const random = Array.from(crypto.getRandomValues(new Uint8Array(4)), (b) => b.toString(16).padStart(2, '0')).join('')
  return `${String(ms).padStart(15, '0')}-${String(counter).padStart(6, '0')}-${random}`
}

/** One stored segment and where it starts in the log. */
export interface Segment {
  key: string
  offset: number
  size: number
}

/** The segments holding bytes [offset, offset + length) of a log: the range inside each, and where it goes (`at`). */
export function covering(segments: readonly Segment[], offset: number, length: number): Array<{ key: string; offset: number; length: number; at: number }> {
  const end = offset + length
  return segments
    .filter((s) => s.offset < end && s.offset + s.size > offset && s.size > 0)
    .map((s) => {
      const from = Math.max(offset, s.offset)
      return { key: s.key, offset: from - s.offset, length: Math.min(end, s.offset + s.size) - from, at: from - offset }
    })
}
