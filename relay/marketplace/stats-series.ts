/** Marketplace figures over time and as distributions, for charts. Pure. */
import type { JobFacts } from './stats'

/** Bucket widths a timeline may use, ms: the smallest that spans the jobs in `buckets` steps wins. */
const STEPS = [10, 30, 60, 300, 900, 3600, 3 * 3600, 6 * 3600, 86400, 7 * 86400].map((s) => s * 1000)

/** Upper bounds of the latency histogram's buckets, ms; one more bucket holds what lies above the last. */
export const LATENCY_BOUNDS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000]

export interface Timeline {
  /** Width of a bucket, ms. */
  bucketMs: number
  /** Start of the first bucket, ms; bucket i covers [start + i·bucketMs, start + (i+1)·bucketMs). */
  start: number
  /** Jobs received per bucket, by kind; every array has `buckets` entries, oldest first. */
  perKind: Record<string, number[]>
}

/** Jobs per kind in `buckets` equal steps ending after `now`, the step chosen to span the oldest job. */
export function jobsOverTime(jobs: Array<Pick<JobFacts, 'kind' | 'receivedAt'>>, now: number, buckets = 30): Timeline {
  const oldest = jobs.reduce((min, j) => Math.min(min, j.receivedAt), now)
  // The last bucket holds `now` wherever it falls in it, so the others must reach back to the oldest.
  const bucketMs = STEPS.find((s) => s * (buckets - 1) >= now - oldest) ?? STEPS[STEPS.length - 1]
  const end = (Math.floor(now / bucketMs) + 1) * bucketMs
  const start = end - buckets * bucketMs
  const perKind: Record<string, number[]> = {}
  for (const j of jobs) {
    const i = Math.floor((j.receivedAt - start) / bucketMs)
    if (i < 0 || i >= buckets) continue
    ;(perKind[j.kind] ??= new Array<number>(buckets).fill(0))[i]++
  }
  return { bucketMs, start, perKind }
}

/** How many values fall in each bucket: value ≤ bounds[i] (and above bounds[i-1]), then above the last. */
export function histogram(values: number[], bounds: number[] = LATENCY_BOUNDS_MS): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0)
  for (const v of values) {
    const i = bounds.findIndex((b) => v <= b)
    counts[i === -1 ? bounds.length : i]++
  }
  return counts
}

/** The timeline and latency histograms of the jobs (time to first feedback, time to result). */
export function statsSeries(jobs: JobFacts[], now: number) {
  const since = (at: (j: JobFacts) => number | null) => jobs.flatMap((j) => (at(j) === null ? [] : [(at(j) as number) - j.receivedAt]))
  return {
    timeline: jobsOverTime(jobs, now),
    latency: {
      boundsMs: LATENCY_BOUNDS_MS,
      toFirstFeedback: histogram(since((j) => j.firstFeedbackAt)),
      toResult: histogram(since((j) => j.resultAt)),
    },
  }
}
