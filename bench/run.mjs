// `npm run bench [-- --only ingest,query] [--quick] [--targets ours,ours-direct,peer] [--seed S]`
// Runs each scenario against our relay and the peer, each on a fresh instance, with a hard
// time cap, and writes bench/results/latest.{json,md} (partial.{json,md} for quick or partial runs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { loadCorpus } from './corpus.mjs'
import { closeAll } from './lib/client.mjs'
import { CorpusIndex } from './lib/filters.mjs'
import { machine, markdown } from './lib/report.mjs'
import duplicates from './scenarios/duplicates.mjs'
import dvm from './scenarios/dvm.mjs'
import fanout from './scenarios/fanout.mjs'
import ingest from './scenarios/ingest.mjs'
import query from './scenarios/query.mjs'
import soak from './scenarios/soak.mjs'
import storage from './scenarios/storage.mjs'
import verifier from './scenarios/verifier.mjs'
import { ours, oursDirect } from './targets/ours.mjs'
import { peer } from './targets/peer.mjs'

const SCENARIOS = [ingest, duplicates, query, fanout, dvm, soak, verifier, storage]
const TARGETS = [ours, oursDirect, peer]

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    targets: { type: 'string' },
    quick: { type: 'boolean', default: false },
    seed: { type: 'string', default: 'bench' },
  },
})
const only = args.only?.split(',').map((s) => s.trim())
const unknown = only?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? []
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`)
  process.exit(2)
}
const scenarios = SCENARIOS.filter((s) => !only || only.includes(s.name))
const targets = TARGETS.filter((t) => !args.targets || args.targets.split(',').includes(t.name))
const log = (...a) => console.log(...a)

// Corpora and their indexes are shared by all scenarios of the run (prefixes of one corpus).
let corpus = []
const indexes = new Map()
const ctxBase = {
  quick: args.quick,
  seed: args.seed,
  log,
  async corpus(n) {
    if (corpus.length < n) corpus = await loadCorpus(args.seed, n, { log })
    return corpus.slice(0, n)
  },
  index(n) {
    if (!indexes.has(n)) indexes.set(n, new CorpusIndex(corpus.slice(0, n)))
    return indexes.get(n)
  },
}

async function runOne(scenario, target) {
  const started = []
  const ctx = {
    ...ctxBase,
    track: (instance) => (started.push(instance), instance),
    start: async (t, opts) => ctx.track(await t.start(opts)),
  }
  const cap = scenario.capSeconds(args.quick)
  const t0 = Date.now()
  const load0 = loadavg()[0] // another job on the machine shows here
  let timer
  try {
    const out = await Promise.race([
      scenario.run(target, ctx),
      new Promise((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error(`over the ${cap} s cap`), { timeout: true })), cap * 1000))),
    ])
    return { status: 'ok', seconds: Math.round((Date.now() - t0) / 1000), loadavg1m: [load0, loadavg()[0]], ...out }
  } catch (err) {
    return { status: err.timeout ? 'timeout' : 'error', seconds: Math.round((Date.now() - t0) / 1000), error: String(err?.stack ?? err).slice(0, 2000), metrics: {}, checks: [] }
  } finally {
    clearTimeout(timer)
    closeAll()
    for (const instance of started) await instance.stop().catch((e) => log(`stop failed: ${e}`))
  }
}

// The fan-out opens up to 5,000 client sockets in this process (the relay holds as many).
const limits = readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)/)
if (limits && Number(limits[1]) < 12000 && scenarios.includes(fanout) && !args.quick) {
  log(`warning: open files limit is ${limits[1]}; the fan-out needs ~5,100 here: run \`ulimit -n 20000\` first`)
}

const t0 = Date.now()
const root = fileURLToPath(new URL('..', import.meta.url))
const results = {
  quick: args.quick,
  seed: args.seed,
  machine: machine(root),
  targets: Object.fromEntries(targets.map((t) => [t.name, t.label])),
  scenarios: [],
}
// Pre-generate (or read) the largest corpus any selected scenario needs, before any timing.
await ctxBase.corpus(scenarios.some((s) => s.name === 'query') ? (args.quick ? 10000 : 100000) : args.quick ? 4000 : 20000)
for (const scenario of scenarios) {
  const entry = { name: scenario.name, description: scenario.description, runs: {} }
  for (const target of targets.filter((t) => !scenario.targets || scenario.targets.includes(t.name))) {
    log(`${scenario.name} / ${target.name} ...`)
    const run = await runOne(scenario, target)
    entry.runs[target.name] = run
    const failed = run.checks.filter((c) => !c.ok)
    log(`${scenario.name} / ${target.name}: ${run.status} in ${run.seconds} s${run.error ? `: ${run.error.split('\n')[0]}` : ''}${failed.length ? `; failed: ${failed.map((c) => c.name).join('; ')}` : ''}`)
  }
  results.scenarios.push(entry)
}
results.totalSeconds = Math.round((Date.now() - t0) / 1000)

// A full run is results/latest.*; a quick or partial one goes to results/partial.* (gitignored).
const full = !args.quick && !only && !args.targets && args.seed === 'bench'
const dir = new URL('./results/', import.meta.url)
mkdirSync(dir, { recursive: true })
const base = full ? 'latest' : 'partial'
writeFileSync(new URL(`${base}.json`, dir), JSON.stringify(results, null, 2) + '\n')
const md = markdown(results)
writeFileSync(new URL(`${base}.md`, dir), md)
console.log('\n' + md)
process.exit(0)
