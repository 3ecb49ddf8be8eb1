// Storage work and CPU per message, by message type. Ours runs as bench/instrumented/worker.ts
// (the unmodified relay behind counting D1 and Durable Object SQLite bindings); the peer counts
// every SQLite statement better-sqlite3 prepares. Phases, each measured on its own:
// EVENT (new), EVENT (duplicate), REQ (left open), CLOSE.
import { RelayClient, publishPipelined, runPipelined } from '../lib/client.mjs'
import { cpuMetrics, withCpu } from '../lib/measure.mjs'
import { queryMix } from '../lib/queries.mjs'
import { metric } from '../lib/stats.mjs'

const statementsOf = (c) => (c.sqlStatements ?? 0) + (c.d1Statements ?? 0) + (c.doSqlStatements ?? 0)

export default {
  name: 'storage',
  description: 'storage statements and relay CPU per message type (instrumented run, 4 connections)',
  targets: ['ours', 'peer'],
  capSeconds: (quick) => (quick ? 180 : 300),
  async run(target, ctx) {
    const n = ctx.quick ? 1000 : 5000
    const q = ctx.quick ? 200 : 1000
    const events = await ctx.corpus(n)
    const relay = await ctx.start(target, { countSql: true })
    const clients = await RelayClient.openMany(relay.url, 4)
    const mix = queryMix(ctx.seed, events, q)
    const phases = [
      ['EVENT (new)', n, () => publishPipelined(clients, events, { window: 64 })],
      ['EVENT (duplicate)', n, () => publishPipelined(clients, events, { window: 64 })],
      ['REQ', q, () => runPipelined(clients, mix.map(({ filter }, i) => (c) => c.req(`r${i}`, [filter])), { window: 4 })],
      ['CLOSE', q, async () => {
        mix.forEach((_, i) => clients[i % clients.length].close(`r${i}`))
        // CLOSE has no answer: a REQ after them on each socket is answered after they are done.
        await Promise.all(clients.map((c, k) => c.req(`sync${k}`, [{ ids: [events[0].id] }])))
      }],
    ]
    const metrics = {}
    const extra = {}
    for (const [name, count, fn] of phases) {
      const before = await relay.counts()
      const { cpu } = await withCpu(relay, fn)
      const after = await relay.counts()
      const d = (key) => (after[key] ?? 0) - (before[key] ?? 0)
      extra[name] = { count, cpuMs: cpu, d1Statements: d('d1Statements'), d1RoundTrips: d('d1RoundTrips'), doSqlStatements: d('doSqlStatements'), sqlStatements: d('sqlStatements') }
      metrics[`${name}: storage statements per message`] = metric((statementsOf(after) - statementsOf(before)) / count, '', 'lower')
      if (target.name === 'ours') {
        metrics[`${name}: D1 round trips per message`] = metric(d('d1RoundTrips') / count, '', 'lower')
        metrics[`${name}: D1 statements per message`] = metric(d('d1Statements') / count, '', 'lower')
        metrics[`${name}: DO SQLite statements per message`] = metric(d('doSqlStatements') / count, '', 'lower')
      }
      Object.assign(metrics, cpuMetrics(cpu, count, `${name} message`, metric))
    }
    const final = await relay.counts()
    return {
      metrics,
      checks: [{ name: 'counters saw every message', ok: Object.values(final.messages).reduce((a, b) => a + b, 0) >= 2 * n + q, detail: JSON.stringify(final.messages) }],
      extra,
    }
  },
}
