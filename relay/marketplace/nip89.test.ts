import { describe, expect, it } from 'vitest'
import type { NostrEvent } from '../protocol/event'
import { readAnnouncement } from './nip89'
import { marketplaceStats, percentile } from './stats'

const ann = (tags: string[][], content: string): NostrEvent => ({ id: 'i'.repeat(64), pubkey: 'p'.repeat(64), sig: '', created_at: 7, kind: 31990, tags, content })

describe('readAnnouncement', () => {
  it('reads kinds, metadata and price', () => {
    expect(readAnnouncement(ann([['d', 'x'], ['k', '5050'], ['k', '5050'], ['k', '5100']], JSON.stringify({ name: 'N', about: 'A', price: 2000 })))).toMatchObject({
      d: 'x', kinds: [5050, 5100], name: 'N', about: 'A', price: 2000, announcedAt: 7,
    })
  })
  it('prefers an amount tag and tolerates content that is not JSON', () => {
    expect(readAnnouncement(ann([['k', '5050'], ['amount', '500']], 'not json'))).toMatchObject({ price: 500, name: '', metadata: {} })
  })
  it('refuses an announcement without k tags', () => {
    expect(readAnnouncement(ann([['d', 'x']], '{}'))).toEqual({ error: expect.any(String) })
  })
})

describe('marketplaceStats', () => {
  it('counts per kind and per DVM, with times to feedback and result', () => {
    const s = marketplaceStats([
      { kind: 5050, status: 'success', provider: 'a', receivedAt: 0, firstFeedbackAt: 10, resultAt: 100 },
      { kind: 5050, status: 'error', provider: 'a', receivedAt: 0, firstFeedbackAt: 20, resultAt: null },
      { kind: 5100, status: 'processing', provider: null, receivedAt: 0, firstFeedbackAt: 30, resultAt: null },
    ])
    expect(s.perKind).toEqual({ 5050: { total: 2, success: 1, error: 1 }, 5100: { total: 1, processing: 1 } })
    expect(s.perDvm.a).toMatchObject({ success: 1, error: 1, successRate: 0.5, toResultMs: { p50: 100, n: 1 } })
    expect(s.openJobs).toBe(1)
    expect(s.toFirstFeedbackMs).toEqual({ p50: 20, p95: 30, n: 3 })
  })
  it('takes nearest-rank percentiles', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
    expect(percentile([1, 2, 3, 4], 95)).toBe(4)
    expect(percentile([], 50)).toBeNull()
  })
})
