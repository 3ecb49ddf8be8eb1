// Fan-out: N sockets each hold one subscription of 1-3 filters; a publisher sends events at a
// fixed rate; every socket records what it receives. Measured: publish → receipt latency,
// deliveries lost (expected by the filters but not received within the settle time), and
// deliveries to sockets whose filters do not match (must be 0, tag conditions included).
// Through wrangler dev's proxy (target ours), which holds ~6 fds per WebSocket, a phase larger
// than the fd hard limit allows is skipped; ours-direct runs it.
import { RelayClient, closeAll, openMany } from '../lib/client.mjs'
import { matchAny } from '../lib/filters.mjs'
import { relayRssMb } from '../lib/measure.mjs'
import { subscriptionFilters } from '../lib/subscriptions.mjs'
import { metric, sleep, summarize } from '../lib/stats.mjs'

/** One phase: n subscribers, events published at `rate`/s; returns measurements. */
export async function fanoutPhase(relay, { url = relay.url, seed, n, events, rate, settleMs = 5000, log }) {
  const rssBefore = relayRssMb(relay)
  const t0 = performance.now()
  const sockets = await openMany(url, n)
  const filters = sockets.map((_, i) => subscriptionFilters(seed, i))
  const eose = await Promise.all(sockets.map((s, i) => s.req('f', filters[i])))
  const subscribeMs = performance.now() - t0
  const refusedSubs = eose.filter((a) => a.closed).length
  const rssSubscribed = relayRssMb(relay)

  const sentAt = new Map()
  const byId = new Map(events.map((e) => [e.id, e]))
  const seen = sockets.map(() => new Set())
  const latencies = []
  let received = 0
  let wrong = 0
  let dupes = 0
  let lastReceipt = performance.now()
  let wrongExample = null
  sockets.forEach((s, i) => {
    s.onLive = (_sub, ev, t) => {
      received++
      lastReceipt = t
      const known = byId.get(ev.id)
      if (!known || !matchAny(filters[i], known)) {
        wrong++
        wrongExample ??= { filters: filters[i], event: { kind: ev.kind, pubkey: ev.pubkey, tags: ev.tags } }
        return
      }
      if (seen[i].has(ev.id)) return void dupes++
      seen[i].add(ev.id)
      latencies.push(t - sentAt.get(ev.id))
    }
  })

  const publisher = await RelayClient.open(url)
  const acks = []
  const start = performance.now()
  for (let k = 0; k < events.length; k++) {
    const due = start + (k * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await sleep(wait)
    sentAt.set(events[k].id, performance.now())
    acks.push(publisher.publish(events[k]))
  }
  const okd = await Promise.all(acks)
  const accepted = events.filter((_, k) => okd[k].accepted && okd[k].message === '')
  let expected = 0
  for (const e of accepted) for (const f of filters) if (matchAny(f, e)) expected++
  const delivered = () => seen.reduce((s, x) => s + x.size, 0)
  // Settle: until every expected delivery arrived, or nothing has arrived for settleMs.
  while (delivered() < expected && performance.now() - lastReceipt < settleMs) await sleep(50)
  const got = delivered()
  for (const s of sockets) s.end()
  publisher.end()
  log?.(`  ${n} sockets: ${got}/${expected} deliveries, ${wrong} wrong`)
  return {
    subscribeMs,
    refusedSubs,
    rssBefore,
    rssSubscribed,
    acceptedEvents: accepted.length,
    expected,
    delivered: got,
    lost: expected - got,
    wrong,
    dupes,
    received,
    wrongExample,
    latency: summarize(latencies),
  }
}

export default {
  name: 'fanout',
  description: 'N subscribed sockets (1-3 filters each: kinds, authors, #t/#p/#e), events published at a fixed rate',
  capSeconds: (quick) => (quick ? 180 : 600),
  async run(target, ctx) {
    const sizes = ctx.quick ? [200, 1000] : [1000, 5000]
    const perPhase = ctx.quick ? 100 : 200
    const rate = 50
    const events = await ctx.corpus(perPhase * sizes.length)
    const relay = await ctx.start(target)
    const metrics = {}
    const checks = []
    const extra = {}
    const notes = []
    for (const [p, n] of sizes.entries()) {
      if (relay.maxSockets && n + 1 > relay.maxSockets()) {
        notes.push(`${n} subs skipped: wrangler dev's proxy holds ~6 fds per WebSocket, so the fd hard limit here allows ~${relay.maxSockets()} (see ours-direct)`)
        continue
      }
      let r
      try {
        r = await fanoutPhase(relay, { seed: ctx.seed, n, events: events.slice(p * perPhase, (p + 1) * perPhase), rate, log: ctx.log })
      } catch (err) {
        checks.push({ name: `${n} subs: phase completed`, ok: false, detail: String(err) })
        closeAll()
        continue
      }
      extra[n] = r
      metrics[`${n} subs: delivery p50`] = metric(r.latency.p50, 'ms', 'lower')
      metrics[`${n} subs: delivery p99`] = metric(r.latency.p99, 'ms', 'lower')
      metrics[`${n} subs: delivery max`] = metric(r.latency.max, 'ms', 'lower')
      metrics[`${n} subs: deliveries expected`] = metric(r.expected, '', 'none')
      metrics[`${n} subs: lost`] = metric(r.lost, '', 'lower')
      metrics[`${n} subs: wrong (filter does not match)`] = metric(r.wrong, '', 'lower')
      metrics[`${n} subs: connect + subscribe`] = metric(r.subscribeMs / 1000, 's', 'lower')
      metrics[`${n} subs: relay RSS`] = metric(r.rssSubscribed, 'MiB', 'lower')
      checks.push({ name: `${n} subs: all subscriptions accepted`, ok: r.refusedSubs === 0, detail: r.refusedSubs ? `${r.refusedSubs} CLOSED` : '' })
      checks.push({ name: `${n} subs: all ${perPhase} events accepted`, ok: r.acceptedEvents === perPhase, detail: '' })
      checks.push({ name: `${n} subs: no delivery lost`, ok: r.lost === 0, detail: r.lost ? `${r.lost} of ${r.expected} not received` : '' })
      checks.push({
        name: `${n} subs: no delivery to a non-matching filter`,
        ok: r.wrong === 0,
        detail: r.wrong ? `${r.wrong} wrong, e.g. ${JSON.stringify(r.wrongExample)}` : '',
      })
      checks.push({ name: `${n} subs: no duplicate delivery`, ok: r.dupes === 0, detail: r.dupes ? `${r.dupes}` : '' })
      delete r.wrongExample
    }
    return { metrics, checks, extra, notes }
  },
}
