import { describe, expect, it } from 'vitest'
import { histogram, jobsOverTime, LATENCY_BOUNDS_MS, statsSeries } from './stats-series'
import type { JobFacts } from './stats'

const job = (kind: number, receivedAt: number, more: Partial<JobFacts> = {}): JobFacts => ({
  kind, status: 'success', provider: null, receivedAt, firstFeedbackAt: null, resultAt: null, ...more,
})

describe('jobsOverTime', () => {
  const now = 1_000_005_000 // mid-bucket, so now - 1 falls in the same 10 s bucket

  it('counts jobs per kind in the bucket they arrived in, oldest first', () => {
    const t = jobsOverTime([job(5050, now), job(5050, now - 1), job(5100, now - 100_000)], now, 30)
    expect(t.bucketMs).toBe(10_000)
    expect(t.perKind['5050'].length).toBe(30)
    expect(t.perKind['5050'][29]).toBe(2)
    expect(t.perKind['5100'][19]).toBe(1)
    expect(t.perKind['5100'].reduce((a, b) => a + b)).toBe(1)
  })

  it('widens the buckets until the oldest job fits', () => {
    expect(jobsOverTime([job(5050, now - 3600_000)], now, 30).bucketMs).toBe(300_000)
    expect(jobsOverTime([job(5050, now - 5 * 86400_000)], now, 30).bucketMs).toBe(6 * 3600_000)
  })

  it('counts the oldest job wherever now falls in its bucket', () => {
    for (let t = now; t < now + 20_000; t += 1000) {
      for (const age of [1, 250_000, 290_000, 299_999, 3_000_000]) {
        const tl = jobsOverTime([job(5050, t - age), job(5050, t)], t, 30)
        expect(tl.perKind['5050'].reduce((a, b) => a + b), `now ${t}, oldest ${age} ms before`).toBe(2)
      }
    }
  })

  it('aligns buckets to their width and ends after now', () => {
    const t = jobsOverTime([job(5050, now)], now, 30)
    expect(t.start % t.bucketMs).toBe(0)
    expect(t.start + 30 * t.bucketMs).toBeGreaterThan(now)
  })

  it('drops what lies before the widest timeline', () => {
    const t = jobsOverTime([job(5050, now - 400 * 86400_000), job(5050, now)], now, 30)
    expect(t.perKind['5050'].reduce((a, b) => a + b)).toBe(1)
  })

  it('has no kinds without jobs', () => expect(jobsOverTime([], now).perKind).toEqual({}))
})

describe('histogram', () => {
  it('puts each value in the first bucket whose bound it does not exceed', () => {
    expect(histogram([1, 10, 11, 100, 101], [10, 100])).toEqual([2, 2, 1])
  })
  it('has one bucket per bound plus one above', () => expect(histogram([]).length).toBe(LATENCY_BOUNDS_MS.length + 1))
})

describe('statsSeries', () => {
  it('measures latencies from receipt, skipping jobs without the moment', () => {
    const s = statsSeries([job(5050, 0, { firstFeedbackAt: 20, resultAt: 30 }), job(5050, 0, { resultAt: 70_000 }), job(5050, 0)], 100)
    expect(s.latency.toFirstFeedback.reduce((a, b) => a + b)).toBe(1)
    expect(s.latency.toFirstFeedback[1]).toBe(1)
    expect(s.latency.toResult[2]).toBe(1)
    expect(s.latency.toResult[LATENCY_BOUNDS_MS.length]).toBe(1)
    expect(s.timeline.perKind['5050'].reduce((a, b) => a + b)).toBe(3)
  })
})
