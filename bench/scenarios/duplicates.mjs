// Ingest with duplicates: half the events are stored first (untimed); then a shuffled stream
// of the other half and re-sends of the first half is timed, and finally a stream of
// re-sends alone. Every re-send must be answered OK true with a 'duplicate:' message.
import { RelayClient, publishPipelined } from '../lib/client.mjs'
import { cpuMetrics, withCpu } from '../lib/measure.mjs'
import { rng, tools } from '../lib/prng.mjs'
import { metric, summarize } from '../lib/stats.mjs'

function shuffled(items, seed) {
  const t = tools(rng(seed, 'shuffle'))
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = t.int(i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

export default {
  name: 'duplicates',
  description: 'stream of which half are re-sends of stored events (8 connections, 64 in flight)',
  capSeconds: (quick) => (quick ? 120 : 300),
  async run(target, ctx) {
    const total = ctx.quick ? 4000 : 20000
    const events = await ctx.corpus(total)
    const stored = events.slice(0, total / 2)
    const fresh = events.slice(total / 2)
    const relay = await ctx.start(target)
    const clients = await RelayClient.openMany(relay.url, 8)
    const preload = await publishPipelined(clients, stored, { window: 64 })
    const notStored = preload.results.filter((r) => !r.accepted).length
    const dupIds = new Set(stored.map((e) => e.id))
    const mixed = shuffled([...fresh, ...stored], ctx.seed)
    const { result, cpu } = await withCpu(relay, () => publishPipelined(clients, mixed, { window: 64 }))
    const pure = await withCpu(relay, () => publishPipelined(clients, stored, { window: 64 }))

    const dupAnswers = []
    const newAnswers = []
    result.results.forEach((r, i) => (dupIds.has(mixed[i].id) ? dupAnswers : newAnswers).push(r))
    dupAnswers.push(...pure.result.results)
    const unmarked = dupAnswers.filter((r) => !r.accepted || !r.message.startsWith('duplicate:'))
    const badNew = newAnswers.filter((r) => !r.accepted || r.message !== '')
    const dupLat = summarize(result.results.filter((_, i) => dupIds.has(mixed[i].id)).map((r) => r.ms))
    const newLat = summarize(newAnswers.map((r) => r.ms))
    return {
      metrics: {
        'mixed messages/s': metric(mixed.length / (result.ms / 1000), 'msg/s'),
        'mixed: new ack p50': metric(newLat.p50, 'ms', 'lower'),
        'mixed: duplicate ack p50': metric(dupLat.p50, 'ms', 'lower'),
        'mixed: duplicate ack p99': metric(dupLat.p99, 'ms', 'lower'),
        'duplicates only: answers/s': metric(stored.length / (pure.result.ms / 1000), 'msg/s'),
        'duplicates marked duplicate:': metric((100 * (dupAnswers.length - unmarked.length)) / dupAnswers.length, '%'),
        ...cpuMetrics(cpu, mixed.length, 'mixed message', metric),
        ...cpuMetrics(pure.cpu, stored.length, 'duplicate (only)', metric),
      },
      checks: [
        { name: 'preload stored', ok: notStored === 0, detail: notStored ? `${notStored} refused` : '' },
        { name: `all ${newAnswers.length} new events OK true`, ok: badNew.length === 0, detail: badNew.length ? `${badNew.length} bad, e.g. ${JSON.stringify(badNew[0])}` : '' },
        {
          name: `all ${dupAnswers.length} re-sends OK true 'duplicate:'`,
          ok: unmarked.length === 0,
          detail: unmarked.length ? `${unmarked.length} not marked, e.g. ${JSON.stringify(unmarked[0])}` : '',
        },
      ],
    }
  },
}
