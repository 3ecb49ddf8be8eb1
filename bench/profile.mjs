// CPU profile of our relay's Worker isolate (the relay object included) under a workload,
// through workerd's inspector: `node bench/profile.mjs [ingest|query|fanout] [--top 25]`.
// Prints self time by function and by source file; writes .cache/profile-<workload>.cpuprofile
// (open in Chrome DevTools). Not part of `npm run bench`.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { loadCorpus } from './corpus.mjs'
import { RelayClient, openMany, publishPipelined, runPipelined } from './lib/client.mjs'
import { queryMix } from './lib/queries.mjs'
import { subscriptionFilters } from './lib/subscriptions.mjs'
import { listeningPorts } from './lib/proc.mjs'
import { sleep } from './lib/stats.mjs'
import { ours } from './targets/ours.mjs'

const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } })
const workload = positionals[0] ?? 'ingest'
const seed = 'bench'


/**
 * The user Worker's inspector. workerd's own inspector takes one session, which wrangler dev
 * holds; wrangler's inspector proxy (served by the proxy workerd) forwards another.
 */
async function inspector(pids) {
  for (const pid of pids) {
    for (const port of listeningPorts(pid)) {
      try {
        const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(2000) })).json()
        const t = targets.find((x) => x.webSocketDebuggerUrl)
        if (t) return { title: t.title ?? t.description, url: t.webSocketDebuggerUrl.replace('localhost', '127.0.0.1') }
      } catch {}
    }
  }
  throw new Error('no inspector found')
}

function cdp(url) {
  const ws = new WebSocket(url)
  let id = 0
  const pending = new Map()
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString())
    if (m.id && pending.has(m.id)) pending.get(m.id)(m)
  })
  return new Promise((resolve) =>
    ws.once('open', () =>
      resolve({
        send: (method, params = {}) =>
          new Promise((res) => {
            const i = ++id
            pending.set(i, res)
            ws.send(JSON.stringify({ id: i, method, params }))
          }),
        close: () => ws.close(),
      }),
    ),
  )
}

function summarize(profile, top) {
  const total = profile.samples.length
  const self = new Map()
  const byFile = new Map()
  const counts = new Map()
  for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1)
  for (const node of profile.nodes) {
    const n = counts.get(node.id) ?? 0
    if (!n) continue
    const cf = node.callFrame
    const file = (cf.url || '(native)').replace(/^.*\/(relay|node_modules)\//, '$1/')
    const key = `${cf.functionName || '(anonymous)'}  ${file}:${cf.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + n)
    byFile.set(file, (byFile.get(file) ?? 0) + n)
  }
  const list = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, n]) => `${((100 * n) / total).toFixed(1).padStart(5)}%  ${k}`)
  return `self time by function (${total} samples):\n${list(self).join('\n')}\n\nself time by file:\n${list(byFile).join('\n')}`
}

const events = await loadCorpus(seed, workload === 'query' ? 20000 : 5000, { log: console.log })
const relay = await ours.start()
try {
  const target = await inspector(relay.groups().proxy)
  console.log(`profiling through ${target.url} (${target.title})`)
  const clients = await Promise.all(Array.from({ length: 8 }, () => RelayClient.open(relay.url)))
  if (workload === 'query') await publishPipelined(clients, events, { window: 64 })
  const session = await cdp(target.url)
  await session.send('Profiler.enable')
  await session.send('Profiler.setSamplingInterval', { interval: 200 })
  await session.send('Profiler.start')
  const t0 = performance.now()
  if (workload === 'ingest') await publishPipelined(clients, events, { window: 64 })
  if (workload === 'query') {
    const mix = queryMix(seed, events, 1000)
    await runPipelined(clients, mix.map(({ filter }, i) => async (c) => {
      const a = await c.req(`q${i}`, [filter])
      c.close(`q${i}`)
      return a
    }), { window: 4 })
  }
  if (workload === 'fanout') {
    const subs = await openMany(relay.url, 1000)
    await Promise.all(subs.map((s, i) => s.req('f', subscriptionFilters(seed, i))))
    for (const e of events.slice(0, 200)) {
      clients[0].publish(e)
      await sleep(20)
    }
    await sleep(2000)
  }
  const { result } = await session.send('Profiler.stop')
  console.log(`${workload}: ${((performance.now() - t0) / 1000).toFixed(1)} s profiled\n`)
  const out = new URL(`./.cache/profile-${workload}.cpuprofile`, import.meta.url)
  writeFileSync(out, JSON.stringify(result.profile))
  console.log(summarize(result.profile, Number(opts.top)))
  session.close()
} finally {
  await relay.stop()
  process.exit(0)
}
