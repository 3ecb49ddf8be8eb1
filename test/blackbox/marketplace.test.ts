/** NIP-90 end to end over real WebSockets: nostr-tools customers and an external DVM client. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { eventually, fetchInfo, newKey, now, relayHttpUrl, relayUrl, sign, type Event, type Key } from './helpers'

useWebSocketImplementation(WebSocket)

const getJson = async (path: string) => (await fetch(relayHttpUrl() + path)).json() as Promise<any>

/** A DVM built on nothing but nostr-tools: answers every 5050 request at once. */
/** nostr-tools gives up on an OK after 4.4 s; a flood of 500 jobs on a 2-core CI machine can take longer. */
async function connect() {
  const relay = await Relay.connect(relayUrl(), { enablePing: false })
  relay.publishTimeout = 60_000
  return relay
}

async function startExternalDvm(key: Key) {
  const relay = await connect()
  await relay.publish(sign(key, { kind: 31990, tags: [['d', 'echo'], ['k', '5050']], content: JSON.stringify({ name: 'echo', about: 'says it back' }) }))
  const answered: string[] = []
  relay.subscribe([{ kinds: [5050], since: now() - 5 }], {
    onevent: async (req) => {
      const about = [['e', req.id], ['p', req.pubkey]]
      await relay.publish(sign(key, { kind: 7000, tags: [['status', 'processing'], ...about] }))
      const input = req.tags.find((t) => t[0] === 'i')?.[1] ?? ''
      await relay.publish(sign(key, { kind: 6050, tags: [['request', JSON.stringify(req)], ['i', input, 'text'], ...about], content: `echo: ${input}` }))
      answered.push(req.id)
    },
  })
  return { relay, answered }
}

describe('marketplace over WebSockets', () => {
  const dvmKey = newKey()
  let dvm: Awaited<ReturnType<typeof startExternalDvm>>
  const customers: Relay[] = []
  beforeAll(async () => {
    dvm = await startExternalDvm(dvmKey)
    await eventually(async () => (await getJson('/dvms?kind=5050')).some((d: { pubkey: string; live: boolean }) => d.pubkey === dvmKey.pk && d.live))
  })
  afterAll(() => {
    dvm.relay.close()
    for (const c of customers) c.close()
  })
  const customer = async () => {
    const r = await connect()
    customers.push(r)
    return r
  }

  it('carries a job from a customer to an external DVM and its answers back', async () => {
    const c = await customer()
    // Named with a p tag: other test files leave 5050 DVMs registered on this shared relay.
    const request = sign(newKey(), { kind: 5050, tags: [['i', 'hello marketplace', 'text'], ['param', 'max_tokens', '64'], ['p', dvmKey.pk]] })
    const got: Event[] = []
    const result = new Promise<Event>((resolve) => {
      c.subscribe([{ kinds: [7000, 6050], '#e': [request.id] }], {
        onevent: (e) => {
          got.push(e)
          if (e.kind === 6050) resolve(e)
        },
      })
    })
    await c.publish(request)
    expect((await result).content).toBe('echo: hello marketplace')
    expect(got.map((e) => e.kind)).toContain(7000)
    await eventually(async () => (await getJson(`/jobs/${request.id}`)).status === 'success')
    const job = await getJson(`/jobs/${request.id}`)
    expect(job).toMatchObject({ kind: 5050, customer: request.pubkey, provider: dvmKey.pk, assigned: [dvmKey.pk] })
    expect(job.history.map((h: { status: string }) => h.status)).toEqual(['pending', 'processing', 'success'])
    expect(job.results.map((e: Event) => e.pubkey)).toEqual([dvmKey.pk])
  })

  it('brings every one of 500 concurrent jobs to a final state', async () => {
    const clients = await Promise.all(Array.from({ length: 5 }, customer))
    const requests = Array.from({ length: 500 }, (_, i) => sign(newKey(), { kind: 5050, tags: [['i', `job ${i}`, 'text']] }))
    await Promise.all(requests.map((r, i) => clients[i % 5].publish(r)))
    await eventually(async () => requests.every((r) => dvm.answered.includes(r.id)), 120_000)
    const statuses: string[] = []
    for (let i = 0; i < requests.length; i += 25) {
      statuses.push(...(await Promise.all(requests.slice(i, i + 25).map(async (r) => (await getJson(`/jobs/${r.id}`)).status))))
    }
    expect(statuses.filter((s) => s !== 'success')).toEqual([])
    const stats = await getJson('/stats')
    expect(stats.perDvm[dvmKey.pk].success).toBeGreaterThanOrEqual(501)
  }, 180_000)

  it('lists the relay key that signs its own feedback', async () => {
    const info = await fetchInfo()
    expect(info.self).toMatch(/^[0-9a-f]{64}$/)
  })
})
