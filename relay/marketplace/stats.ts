/** Marketplace figures from job rows. Pure. */
import { isOpen, type JobStatus } from './lifecycle'

export interface JobFacts {
  kind: number
  status: JobStatus
  provider: string | null
  receivedAt: number
  firstFeedbackAt: number | null
  resultAt: number | null
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

const spread = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), n: sorted.length }
}

export function marketplaceStats(jobs: JobFacts[]) {
  const perKind: Record<string, Record<string, number>> = {}
  const perDvm: Record<string, { success: number; error: number; timedOut: number; successRate: number | null; toResultMs: ReturnType<typeof spread> }> = {}
  const toResult = new Map<string, number[]>()
  for (const j of jobs) {
    const k = (perKind[j.kind] ??= { total: 0 })
    k.total++
    k[j.status] = (k[j.status] ?? 0) + 1
    if (!j.provider) continue
    const d = (perDvm[j.provider] ??= { success: 0, error: 0, timedOut: 0, successRate: null, toResultMs: spread([]) })
    if (j.status === 'success') d.success++
    if (j.status === 'error') d.error++
    if (j.status === 'timed-out') d.timedOut++
    if (j.resultAt !== null) toResult.set(j.provider, [...(toResult.get(j.provider) ?? []), j.resultAt - j.receivedAt])
  }
  for (const [pubkey, d] of Object.entries(perDvm)) {
    const decided = d.success + d.error + d.timedOut
    d.successRate = decided === 0 ? null : d.success / decided
    d.toResultMs = spread(toResult.get(pubkey) ?? [])
  }
  return {
    jobs: jobs.length,
    openJobs: jobs.filter((j) => isOpen(j.status)).length,
    perKind,
    perDvm,
    toFirstFeedbackMs: spread(jobs.flatMap((j) => (j.firstFeedbackAt === null ? [] : [j.firstFeedbackAt - j.receivedAt]))),
    toResultMs: spread(jobs.flatMap((j) => (j.resultAt === null ? [] : [j.resultAt - j.receivedAt]))),
  }
}
