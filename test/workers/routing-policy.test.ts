import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { eventually, getJson, testDvm, testDvms } from './market'
import { signed, TestSocket } from './socket'
import { TEST_DVM_KIND } from './test-dvm'

// Runs in one workerd per policy (see vitest.config.ts); ROUTING_POLICY says which.
const policy = (env as unknown as { ROUTING_POLICY: string }).ROUTING_POLICY
const receivers = async (id: string) => {
  const [a, b] = await Promise.all([testDvm('TEST_DVM_A').seen(), testDvm('TEST_DVM_B').seen()])
  return [a, b].filter((s) => s.jobs.some((j) => j.id === id)).length
}

describe(`routing policy: ${policy}`, () => {
  it('chooses DVMs for jobs that name none', async () => {
    await testDvms()
    const socket = await TestSocket.open()
    const jobs = Array.from({ length: 4 }, (_, i) => signed({ kind: TEST_DVM_KIND, tags: [['i', `q${i}`, 'text'], ['param', 'mode', 'silent']] }))
    for (const j of jobs) {
      await socket.publish(j)
      await eventually(async () => expect(await receivers(j.id)).toBeGreaterThan(0))
    }
    const counts = await Promise.all(jobs.map((j) => receivers(j.id)))
    if (policy === 'all') expect(counts).toEqual([2, 2, 2, 2])
    else {
      expect(counts).toEqual([1, 1, 1, 1])
      const [a, b] = await Promise.all([testDvm('TEST_DVM_A').seen(), testDvm('TEST_DVM_B').seen()])
      const share = (s: { jobs: Array<{ id: string }> }) => jobs.filter((j) => s.jobs.some((x) => x.id === j.id)).length
      expect([share(a), share(b)]).toEqual([2, 2]) // alternating, or always the one with fewer open jobs
    }
    socket.close()
  })

  it('re-offers a timed-out job to the next DVM once under single-DVM policies', async () => {
    await testDvms()
    const socket = await TestSocket.open()
    const job = signed({ kind: TEST_DVM_KIND, tags: [['i', 'slow', 'text'], ['param', 'mode', 'silent']] })
    await socket.publish(job)
    const record = await eventually(async () => {
      const r = await getJson(`/jobs/${job.id}`)
      expect(r.history.filter((h: { status: string }) => h.status === 'timed-out')).toHaveLength(policy === 'all' ? 1 : 2)
      return r
    }, 10000)
    expect(record.status).toBe('timed-out')
    expect(record.offers).toBe(policy === 'all' ? 1 : 2)
    expect(await receivers(job.id)).toBe(2)
    socket.close()
  })
})
