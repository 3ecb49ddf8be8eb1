// Query: a corpus is stored first (timed separately as a bulk load), then a mix of REQs runs
// from several connections, each REQ closed after its EOSE. Every answer is compared with
// what the corpus says it must be: all matches, newest first, ties by lowest id, limit.
import { RelayClient, publishPipelined, runPipelined } from '../lib/client.mjs'
import { compareResult } from '../lib/filters.mjs'
import { cpuMetrics, withCpu } from '../lib/measure.mjs'
import { TEMPLATE_NAMES, queryMix } from '../lib/queries.mjs'
import { metric, summarize } from '../lib/stats.mjs'

export default {
  name: 'query',
  description: 'REQ mix (author, kind, #e, #p, #t, since/until, feeds; limit 50/500) over a stored corpus, 8 connections × 4 in flight',
  capSeconds: (quick) => (quick ? 240 : 900),
  async run(target, ctx) {
    const stored = ctx.quick ? 10000 : 100000
    const queries = ctx.quick ? 500 : 3000
    const events = await ctx.corpus(stored)
    const index = ctx.index(stored)
    const mix = queryMix(ctx.seed, events, queries)
    const expected = mix.map(({ filter }) => index.expected(filter, filter.limit))

    const relay = await ctx.start(target)
    const clients = await RelayClient.openMany(relay.url, 8)
    const load = await withCpu(relay, () => publishPipelined(clients, events, { window: 64 }))
    const refused = load.result.results.filter((r) => !r.accepted).length
    ctx.log(`  loaded ${stored} events in ${(load.result.ms / 1000).toFixed(1)} s`)

    const jobs = mix.map(({ filter }, i) => async (client) => {
      const answer = await client.req(`q${i}`, [filter])
      if (!answer.closed) client.close(`q${i}`)
      return answer
    })
    const { result, cpu } = await withCpu(relay, () => runPipelined(clients, jobs, { window: 4 }))
    const answers = result.results
    const verdicts = { exact: 0, 'tie-order': 0, wrong: 0 }
    const wrong = []
    let returned = 0
    answers.forEach((a, i) => {
      returned += a.events.length
      if (a.closed) {
        verdicts.wrong++
        wrong.push({ i, filter: mix[i].filter, reason: `CLOSED ${a.closed}` })
        return
      }
      const v = compareResult(a.events.map((e) => e.id), expected[i], mix[i].filter, index)
      verdicts[v.verdict]++
      if (v.verdict === 'wrong') wrong.push({ i, filter: mix[i].filter, reason: v.reason })
    })
    const lat = summarize(answers.map((a) => a.ms))

    // Unloaded: one REQ at a time on one connection, the first few of each template again.
    const probe = {}
    const perTemplate = ctx.quick ? 5 : 20
    for (const [k, name] of TEMPLATE_NAMES.entries()) {
      const picks = mix.map((m, i) => i).filter((i) => mix[i].template === k).slice(0, perTemplate)
      const ms = []
      for (const i of picks) {
        const a = await clients[0].req(`p${i}`, [mix[i].filter])
        if (!a.closed) clients[0].close(`p${i}`)
        ms.push(a.ms)
      }
      probe[name] = summarize(ms).p50
    }
    return {
      metrics: {
        'bulk load events/s': metric(stored / (load.result.ms / 1000), 'ev/s'),
        'queries/s': metric(queries / (result.ms / 1000), 'q/s'),
        'EOSE p50': metric(lat.p50, 'ms', 'lower'),
        'EOSE p99': metric(lat.p99, 'ms', 'lower'),
        'events returned per query': metric(returned / queries, 'ev', 'none'),
        'answers exact': metric((100 * verdicts.exact) / queries, '%'),
        'answers differing only in tie order': metric(verdicts['tie-order'], 'q', 'lower'),
        ...cpuMetrics(cpu, queries, 'query', metric),
        ...cpuMetrics(load.cpu, stored, 'stored event (load)', metric),
        ...Object.fromEntries(Object.entries(probe).map(([name, p50]) => [`one at a time, EOSE p50: ${name}`, metric(p50, 'ms', 'lower')])),
      },
      checks: [
        { name: `corpus of ${stored} stored`, ok: refused === 0, detail: refused ? `${refused} refused` : '' },
        {
          name: `${queries} answers match the corpus`,
          ok: verdicts.wrong === 0,
          detail: wrong.length ? `${wrong.length} wrong, e.g. ${JSON.stringify(wrong[0])}` : '',
        },
      ],
      extra: { verdicts },
    }
  },
}
