// Latency summaries and small numeric helpers.

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[k]
}

/** { n, p50, p99, max, mean } of a list of millisecond samples. */
export function summarize(samples) {
  const s = Float64Array.from(samples).sort()
  const n = s.length
  let sum = 0
  for (const v of s) sum += v
  return { n, p50: percentile(s, 50), p99: percentile(s, 99), max: n ? s[n - 1] : null, mean: n ? sum / n : null }
}

export const round = (v, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? v : Number(v.toFixed(digits)))

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** A metric for the report: value, unit, and which direction is better. */
export const metric = (value, unit, better = 'higher') => ({ value: round(value, value !== null && Math.abs(value) < 10 ? 3 : 1), unit, better })
