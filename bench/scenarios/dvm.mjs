// DVM round trip: a customer publishes kind 5050 job requests; a DVM client subscribed to the
// kind answers each at once with a 6050 result; the customer's subscription receives it.
// Round trip = request sent → result received at the customer. The DVM's own time (receipt to
// send, signing included) is measured and subtracted: what remains is the relay's (and, for
// ours, the router's) share.
import { initNostrWasm } from 'nostr-wasm'
import { RelayClient } from '../lib/client.mjs'
import { cpuMetrics, withCpu } from '../lib/measure.mjs'
import { rng, tools } from '../lib/prng.mjs'
import { metric, sleep, summarize } from '../lib/stats.mjs'

const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g), (b) => parseInt(b, 16))

export default {
  name: 'dvm',
  description: 'job request → DVM answers at once → result at the customer: sequential latency, then pipelined jobs/s',
  capSeconds: (quick) => (quick ? 120 : 300),
  async run(target, ctx) {
    const sequential = ctx.quick ? 100 : 300
    const pipelined = ctx.quick ? 500 : 2000
    const nostr = await initNostrWasm()
    const t = tools(rng(ctx.seed, 'dvm'))
    const dvmKey = hexToBytes(t.hex(32))
    const customerKey = hexToBytes(t.hex(32))
    const sign = (template, sk) => {
      const e = { created_at: Math.floor(Date.now() / 1000), content: '', ...template }
      nostr.finalizeEvent(e, sk)
      return e
    }
    // Requests are signed before anything is timed.
    const requests = Array.from({ length: sequential + pipelined }, (_, i) => sign({ kind: 5050, tags: [['i', `prompt ${i}`, 'text']] }, customerKey))
    const customerPubkey = requests[0].pubkey

    const relay = await ctx.start(target)
    const [dvm, customer] = await Promise.all([RelayClient.open(relay.url), RelayClient.open(relay.url)])
    await dvm.publish(sign({ kind: 31990, tags: [['d', 'bench'], ['k', '5050']], content: '{"name":"bench echo"}' }, dvmKey))
    const dvmMs = new Map()
    dvm.onLive = (_, req, receivedAt) => {
      if (req.kind !== 5050) return
      const result = sign({ kind: 6050, tags: [['e', req.id], ['p', req.pubkey]], content: 'ok' }, dvmKey)
      dvm.send(['EVENT', result])
      dvmMs.set(req.id, performance.now() - receivedAt)
    }
    const since = Math.floor(Date.now() / 1000) - 60
    await dvm.req('jobs', [{ kinds: [5050], since }])
    const arrived = new Map()
    const waiting = new Map()
    customer.onLive = (_, result, receivedAt) => {
      const id = result.tags.find((x) => x[0] === 'e')?.[1]
      if (!id || arrived.has(id)) return
      arrived.set(id, receivedAt)
      waiting.get(id)?.()
    }
    await customer.req('results', [{ kinds: [6050], '#p': [customerPubkey], since }])

    const roundTrip = (request, timeoutMs = 10_000) =>
      new Promise((resolve) => {
        const t0 = performance.now()
        const timer = setTimeout(() => (waiting.delete(request.id), resolve(null)), timeoutMs)
        waiting.set(request.id, () => {
          clearTimeout(timer)
          waiting.delete(request.id)
          resolve(arrived.get(request.id) - t0)
        })
        customer.send(['EVENT', request])
      })

    const latencies = []
    const overheads = []
    for (const request of requests.slice(0, sequential)) {
      const ms = await roundTrip(request)
      if (ms === null) continue
      latencies.push(ms)
      overheads.push(ms - (dvmMs.get(request.id) ?? 0))
    }
    const { result: burst, cpu } = await withCpu(relay, async () => {
      const t0 = performance.now()
      const batch = requests.slice(sequential)
      const window = 32
      let next = 0
      const worker = async () => {
        while (next < batch.length) await roundTrip(batch[next++], 30_000)
      }
      await Promise.all(Array.from({ length: window }, worker))
      return { ms: performance.now() - t0, batch }
    })
    await sleep(200)
    const lost = requests.filter((r) => !arrived.has(r.id)).length
    const lat = summarize(latencies)
    const over = summarize(overheads)
    return {
      metrics: {
        'round trip p50': metric(lat.p50, 'ms', 'lower'),
        'round trip p99': metric(lat.p99, 'ms', 'lower'),
        'relay overhead p50': metric(over.p50, 'ms', 'lower'),
        'relay overhead p99': metric(over.p99, 'ms', 'lower'),
        'jobs/s (32 in flight)': metric(burst.batch.length / (burst.ms / 1000), 'jobs/s'),
        'jobs lost': metric(lost, 'jobs', 'lower'),
        ...cpuMetrics(cpu, burst.batch.length, 'job', metric),
      },
      checks: [{ name: `all ${requests.length} jobs answered`, ok: lost === 0, detail: lost ? `${lost} without a result` : '' }],
    }
  },
}
