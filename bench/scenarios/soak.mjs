// Soak: a fixed mixed load for a fixed time (publishers at a fixed rate, REQ loops, live
// subscribers), with the relay's RSS sampled throughout. At the end every acknowledged
// event is queried back by id: an acknowledged event that is missing is lost.
import { RelayClient, openMany } from '../lib/client.mjs'
import { matchAny } from '../lib/filters.mjs'
import { relayRssMb, withCpu } from '../lib/measure.mjs'
import { queryMix } from '../lib/queries.mjs'
import { subscriptionFilters } from '../lib/subscriptions.mjs'
import { metric, sleep, summarize } from '../lib/stats.mjs'

export default {
  name: 'soak',
  description: 'fixed mixed load: 200 ev/s over 4 connections, 2 REQ loops, 200 live subscribers',
  capSeconds: (quick) => (quick ? 120 : 240),
  async run(target, ctx) {
    const seconds = ctx.quick ? 15 : 60
    const rate = 200
    const subscribers = ctx.quick ? 50 : 200
    const events = await ctx.corpus(rate * seconds)
    const byId = new Map(events.map((e) => [e.id, e]))
    const relay = await ctx.start(target)
    const rssStart = relayRssMb(relay)

    const subs = await openMany(relay.url, subscribers)
    const filters = subs.map((_, i) => subscriptionFilters(ctx.seed, 100000 + i))
    await Promise.all(subs.map((s, i) => s.req('live', filters[i])))
    const seen = subs.map(() => new Set())
    const delivery = []
    const sentAt = new Map()
    let wrong = 0
    subs.forEach((s, i) => {
      s.onLive = (_sub, ev, t) => {
        const known = byId.get(ev.id)
        if (!known || !matchAny(filters[i], known)) return void wrong++
        if (!seen[i].has(ev.id) && sentAt.has(ev.id)) delivery.push(t - sentAt.get(ev.id))
        seen[i].add(ev.id)
      }
    })

    const publishers = await RelayClient.openMany(relay.url, 4)
    const queriers = await RelayClient.openMany(relay.url, 2)
    const mix = queryMix(ctx.seed, events, 5000)
    const end = performance.now() + seconds * 1000
    const acks = []
    const ackMs = []
    const acked = []
    let refused = 0
    let skipped = 0
    let inFlight = 0
    const eose = []
    let closed = 0
    const rss = [rssStart]

    const publishLoop = async () => {
      const start = performance.now()
      for (let k = 0; k < events.length && performance.now() < end; k++) {
        const wait = start + (k * 1000) / rate - performance.now()
        if (wait > 0) await sleep(wait)
        if (inFlight >= 1024) {
          skipped++
          continue
        }
        const e = events[k]
        inFlight++
        sentAt.set(e.id, performance.now())
        acks.push(
          publishers[k % publishers.length].publish(e).then((r) => {
            inFlight--
            ackMs.push(r.ms)
            if (r.accepted) acked.push(e)
            else refused++
          }),
        )
      }
    }
    const queryLoop = async (client, q) => {
      for (let i = q; performance.now() < end; i += queriers.length) {
        const t = performance.now()
        const { filter } = mix[i % mix.length]
        const a = await client.req(`s${i}`, [{ ...filter, limit: 50 }])
        if (a.closed) closed++
        else client.close(`s${i}`)
        eose.push(a.ms)
        const wait = 40 - (performance.now() - t)
        if (wait > 0) await sleep(wait)
      }
    }
    const sampler = (async () => {
      while (performance.now() < end) {
        await sleep(5000)
        rss.push(relayRssMb(relay))
      }
    })()
    const run = await withCpu(relay, async () => {
      await Promise.all([publishLoop(), ...queriers.map(queryLoop), sampler])
      await Promise.all(acks)
    })
    let expected = 0
    for (const e of acked) for (const f of filters) if (matchAny(f, e)) expected++
    const delivered = () => seen.reduce((s, x) => s + x.size, 0)
    const settleEnd = performance.now() + 10000
    while (delivered() < expected && performance.now() < settleEnd) await sleep(100)
    const rssEnd = relayRssMb(relay)

    // Every acknowledged event must be there.
    const found = new Set()
    for (let i = 0; i < acked.length; i += 500) {
      const ids = acked.slice(i, i + 500).map((e) => e.id)
      const a = await queriers[0].req(`back${i}`, [{ ids, limit: 500 }])
      queriers[0].close(`back${i}`)
      for (const e of a.events) found.add(e.id)
    }
    const lost = acked.filter((e) => !found.has(e.id)).length
    const ack = summarize(ackMs)
    const q = summarize(eose)
    const d = summarize(delivery)
    return {
      metrics: {
        'events acknowledged/s': metric(acked.length / seconds, 'ev/s'),
        'ack p50': metric(ack.p50, 'ms', 'lower'),
        'ack p99': metric(ack.p99, 'ms', 'lower'),
        'queries/s': metric(eose.length / seconds, 'q/s'),
        'EOSE p99': metric(q.p99, 'ms', 'lower'),
        'delivery p99': metric(d.p99, 'ms', 'lower'),
        'relay RSS start': metric(rssStart, 'MiB', 'lower'),
        'relay RSS max': metric(Math.max(...rss, rssEnd), 'MiB', 'lower'),
        'relay RSS end': metric(rssEnd, 'MiB', 'lower'),
        'relay CPU': metric((100 * run.cpu.relay) / (seconds * 1000), '% of a core', 'lower'),
        ...(run.cpu.proxy !== undefined && { 'dev proxy CPU': metric((100 * run.cpu.proxy) / (seconds * 1000), '% of a core', 'lower') }),
        'acknowledged events lost': metric(lost, '', 'lower'),
      },
      checks: [
        { name: `publisher kept up (${rate} ev/s)`, ok: skipped === 0, detail: skipped ? `${skipped} events skipped at 1024 in flight` : '' },
        { name: 'no event refused', ok: refused === 0, detail: refused ? `${refused} refused` : '' },
        { name: 'no REQ CLOSED', ok: closed === 0, detail: closed ? `${closed} CLOSED` : '' },
        { name: `all ${acked.length} acknowledged events stored`, ok: lost === 0, detail: lost ? `${lost} missing` : '' },
        { name: 'no live delivery lost', ok: delivered() === expected, detail: `${delivered()} of ${expected}` },
        { name: 'no delivery to a non-matching filter', ok: wrong === 0, detail: wrong ? `${wrong} wrong` : '' },
      ],
      extra: { rssSamplesMb: rss.map((v) => Math.round(v)) },
    }
  },
}
