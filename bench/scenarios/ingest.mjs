// Ingest: connections publish unique events as fast as OKs come back, each keeping a window
// of EVENTs in flight. Every OK must be `true` and not a duplicate.
import { RelayClient, publishPipelined } from '../lib/client.mjs'
import { cpuMetrics, withCpu } from '../lib/measure.mjs'
import { metric, summarize } from '../lib/stats.mjs'

export default {
  name: 'ingest',
  description: 'unique events (kinds 1/7/0, tags e/p/t) published over 8 connections, 64 in flight each',
  capSeconds: (quick) => (quick ? 120 : 300),
  async run(target, ctx) {
    const count = ctx.quick ? 4000 : 20000
    const events = await ctx.corpus(count)
    const relay = await ctx.start(target)
    const clients = await RelayClient.openMany(relay.url, 8)
    const { result, cpu } = await withCpu(relay, () => publishPipelined(clients, events, { window: 64 }))
    const { results, ms } = result
    const bad = results.filter((r) => !r.accepted || r.message !== '')
    const lat = summarize(results.map((r) => r.ms))
    return {
      metrics: {
        'events/s': metric(count / (ms / 1000), 'ev/s'),
        'ack p50': metric(lat.p50, 'ms', 'lower'),
        'ack p99': metric(lat.p99, 'ms', 'lower'),
        ...cpuMetrics(cpu, count, 'event', metric),
      },
      checks: [{ name: `all ${count} OK true`, ok: bad.length === 0, detail: bad.length ? `${bad.length} not accepted, e.g. ${JSON.stringify(bad[0])}` : '' }],
    }
  },
}
