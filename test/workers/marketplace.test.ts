import { env } from 'cloudflare:test'
import { generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { eventually, getJson, relayInfo, testDvm, testDvms } from './market'
import { signed, TestSocket } from './socket'
import { TEST_DVM_KIND } from './test-dvm'

const job = (tags: string[][], sk = generateSecretKey()) => signed({ kind: TEST_DVM_KIND, tags }, sk)
const seenBy = async (binding: 'TEST_DVM_A' | 'TEST_DVM_B', id: string) => (await testDvm(binding).seen()).jobs.some((j) => j.id === id)

describe('marketplace (policy: all)', () => {
  it('registers the internal DVMs at start-up and lists them', async () => {
    const { a, b } = await testDvms()
    const listed = await getJson<Array<{ pubkey: string; internal: boolean; name: string; kinds: number[] }>>(`/dvms?kind=${TEST_DVM_KIND}`)
    expect(listed.filter((d) => d.pubkey === a || d.pubkey === b)).toHaveLength(2)
    expect(listed.find((d) => d.pubkey === a)).toMatchObject({ internal: true, name: 'test DVM', kinds: [TEST_DVM_KIND] })
    expect(await getJson('/dvms?kind=x')).toMatchObject({ error: expect.any(String) })
  })

  it('delivers a job by RPC and follows it to its result', async () => {
    await testDvms()
    const customer = await TestSocket.open()
    const request = job([['i', 'hello', 'text']])
    customer.send(['REQ', 'answers', { '#e': [request.id] }])
    await customer.next((f) => f[0] === 'EOSE')
    expect(await customer.publish(request)).toEqual(['OK', request.id, true, ''])
    const kinds = new Set<number>()
    while (!kinds.has(TEST_DVM_KIND + 1000)) kinds.add(((await customer.next((f) => f[0] === 'EVENT'))[2] as { kind: number }).kind)
    expect(kinds.has(7000)).toBe(true)
    expect(await seenBy('TEST_DVM_A', request.id)).toBe(true)
    expect(await seenBy('TEST_DVM_B', request.id)).toBe(true)
    const record = await eventually(async () => {
      const r = await getJson(`/jobs/${request.id}`)
      expect(r.status).toBe('success')
      expect(r.results).toHaveLength(2)
      return r
    })
    expect(record.history.map((h: { status: string }) => h.status)).toEqual(expect.arrayContaining(['pending', 'processing', 'success']))
    expect(record.feedback.length).toBeGreaterThanOrEqual(2)
    expect(record.firstFeedbackAt).toBeGreaterThanOrEqual(record.receivedAt)
    customer.close()
  })

  it('sends a job naming a DVM only to that DVM', async () => {
    const { b } = await testDvms()
    const customer = await TestSocket.open()
    const request = job([['i', 'x', 'text'], ['p', b]])
    await customer.publish(request)
    await eventually(async () => expect(await seenBy('TEST_DVM_B', request.id)).toBe(true))
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('success'))
    expect(await seenBy('TEST_DVM_A', request.id)).toBe(false)
    customer.close()
  })

  it('tells the customer at once, signed by the relay, when nobody serves the kind', async () => {
    const { self } = await relayInfo()
    const customer = await TestSocket.open()
    const request = signed({ kind: 5002, tags: [['i', 'hola', 'text'], ['param', 'language', 'en']] })
    customer.send(['REQ', 'fb', { kinds: [7000], '#e': [request.id] }])
    await customer.next((f) => f[0] === 'EOSE')
    await customer.publish(request)
    const [, , feedback] = (await customer.next((f) => f[0] === 'EVENT')) as [string, string, { pubkey: string; tags: string[][] }]
    expect(feedback.pubkey).toBe(self)
    expect(feedback.tags).toContainEqual(['status', 'error', expect.stringContaining('no DVM serves kind 5002')])
    expect(feedback.tags).toContainEqual(['p', request.pubkey])
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('error'))
    customer.close()
  })

  it('offers a job nobody could take to a DVM that announces itself later', async () => {
    const customer = await TestSocket.open()
    const request = signed({ kind: 5301, tags: [['i', 'who to follow', 'text']] })
    await customer.publish(request)
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('error'))
    const dvmKey = generateSecretKey()
    const announcement = signed({ kind: 31990, tags: [['d', 'late'], ['k', '5301']], content: '{}' }, dvmKey)
    await customer.publish(announcement)
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).assigned).toEqual([announcement.pubkey]))
    customer.close()
  })

  it('counts only a result of the request kind + 1000 as its result', async () => {
    await testDvms()
    const customer = await TestSocket.open()
    const request = job([['i', 'x', 'text'], ['p', 'f'.repeat(64)]])
    await customer.publish(request)
    await customer.publish(signed({ kind: 6050, tags: [['e', request.id], ['p', request.pubkey]], content: 'wrong kind' }))
    await customer.publish(signed({ kind: 7000, tags: [['status', 'payment_required'], ['e', request.id]], content: '' }))
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('payment-required'))
    expect((await getJson(`/jobs/${request.id}`)).results).toEqual([])
    customer.close()
  })

  it('answers a malformed request with the problem, and delivers it to nobody', async () => {
    await testDvms()
    const customer = await TestSocket.open()
    const request = job([['i', 'x', 'telepathy'], ['bid', 'lots']])
    customer.send(['REQ', 'fb', { '#e': [request.id] }])
    await customer.next((f) => f[0] === 'EOSE')
    expect((await customer.publish(request))[2]).toBe(true)
    const [, , feedback] = (await customer.next((f) => f[0] === 'EVENT')) as [string, string, { tags: string[][] }]
    const note = feedback.tags.find((t) => t[0] === 'status')!
    expect(note[1]).toBe('error')
    expect(note[2]).toMatch(/unknown input type "telepathy".*bid must be/)
    expect(await seenBy('TEST_DVM_A', request.id)).toBe(false)
    customer.close()
  })

  it('holds a chained job until the job it builds on has a result', async () => {
    const { a } = await testDvms()
    const customer = await TestSocket.open()
    const sk = generateSecretKey()
    const first = job([['i', 'one', 'text'], ['p', a], ['param', 'mode', 'silent']], sk)
    await customer.publish(first)
    const second = job([['i', first.id, 'job'], ['p', a]], sk)
    await customer.publish(second)
    await eventually(async () => expect(await seenBy('TEST_DVM_A', first.id)).toBe(true))
    expect(await seenBy('TEST_DVM_A', second.id)).toBe(false)
    // Another provider answers the first job.
    const result = signed({ kind: TEST_DVM_KIND + 1000, tags: [['e', first.id], ['p', first.pubkey]], content: 'first result' })
    expect((await customer.publish(result))[2]).toBe(true)
    const delivered = await eventually(async () => {
      const seen = (await testDvm('TEST_DVM_A').seen()).jobs.find((j) => j.id === second.id)
      expect(seen).toBeDefined()
      return seen!
    })
    expect(delivered.context).toEqual([first.id])
    await eventually(async () => expect((await getJson(`/jobs/${second.id}`)).status).toBe('success'))
    customer.close()
  })

  it('cancels a job when its customer deletes the request, and tells the DVM', async () => {
    const { a } = await testDvms()
    const customer = await TestSocket.open()
    const sk = generateSecretKey()
    const request = job([['i', 'x', 'text'], ['p', a], ['param', 'mode', 'silent']], sk)
    await customer.publish(request)
    await eventually(async () => expect(await seenBy('TEST_DVM_A', request.id)).toBe(true))
    await customer.publish(signed({ kind: 5, tags: [['e', request.id], ['k', String(TEST_DVM_KIND)]] }, sk))
    await eventually(async () => expect((await testDvm('TEST_DVM_A').seen()).cancelled).toContain(request.id))
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('cancelled'))
    customer.close()
  })

  it('times a silent job out with relay-signed feedback', async () => {
    const { self } = await relayInfo()
    const { a } = await testDvms()
    const customer = await TestSocket.open()
    const request = job([['i', 'x', 'text'], ['param', 'mode', 'silent']])
    customer.send(['REQ', 'fb', { kinds: [7000], '#e': [request.id] }])
    await customer.next((f) => f[0] === 'EOSE')
    await customer.publish(request)
    const [, , feedback] = (await customer.next((f) => f[0] === 'EVENT', 10000)) as [string, string, { pubkey: string; tags: string[][] }]
    expect(feedback.pubkey).toBe(self)
    expect(feedback.tags).toContainEqual(['status', 'error', expect.stringContaining('timed out')])
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('timed-out'))
    expect(a).toBeTruthy()
    customer.close()
  })

  it('brings every one of 100 concurrent jobs to a final state through internal DVMs', async () => {
    await testDvms()
    const sockets = await Promise.all(Array.from({ length: 5 }, () => TestSocket.open()))
    const requests = Array.from({ length: 100 }, (_, i) => job([['i', `job ${i}`, 'text']]))
    const oks = await Promise.all(requests.map((r, i) => sockets[i % 5].publish(r, 60000)))
    expect(oks.every((ok) => ok[2] === true)).toBe(true)
    const ids = JSON.stringify(requests.map((r) => r.id))
    await eventually(async () => {
      const { results } = await env.DB.prepare('SELECT status, COUNT(*) AS n FROM jobs WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status').bind(ids).all()
      expect(results).toEqual([{ status: 'success', n: 100 }])
    }, 60000)
    const stats = await getJson('/stats')
    expect(stats.perKind[TEST_DVM_KIND].success).toBeGreaterThanOrEqual(100)
    expect(stats.toResultMs.p50).toEqual(expect.any(Number))
    for (const s of sockets) s.close()
  }, 90000)
})
