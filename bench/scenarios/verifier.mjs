// The verifier alone: events/s of signature + id verification, the ceiling for ingest.
// Ours: the relay's own verifier (relay/verify loadVerifier: libsecp256k1 wasm) inside workerd,
// through the bench worker in bench/verifier/, and @noble (verifyNoble) there for comparison.
// Peer: the check its EventService runs on every new event, EventUtils.validate from
// @nostr-relay/common (@noble/curves), in a Node process.
// 1% of the batch carries a broken signature and must be refused.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { metric } from '../lib/stats.mjs'
import { startWrangler } from '../lib/wrangler.mjs'

const config = fileURLToPath(new URL('../verifier/wrangler.toml', import.meta.url))

function batchOf(events) {
  return events.map((e, i) => (i % 100 === 99 ? { ...e, sig: e.sig.slice(0, 127) + (e.sig[127] === '0' ? '1' : '0') } : e))
}

/** Best (fastest) of `runs` timed POSTs, minus the cost of the same POST with reps=0. */
async function measureWorker(httpUrl, impl, batch, reps, runs) {
  const post = async (r) => {
    const t0 = performance.now()
    const res = await fetch(`${httpUrl}/?impl=${impl}&reps=${r}`, { method: 'POST', body: JSON.stringify(batch) })
    const body = await res.json()
    return { ...body, clientMs: performance.now() - t0 }
  }
  await post(1) // warm up: wasm instantiation, JIT
  const base = Math.min(...(await Promise.all([post(0), post(0), post(0)])).map((b) => b.clientMs))
  let best = null
  for (let i = 0; i < runs; i++) {
    const b = await post(reps)
    if (!best || b.clientMs < best.clientMs) best = b
  }
  return { ...best, perSecond: best.verified / ((best.clientMs - base) / 1000), workerPerSecond: best.workerMs > 0 ? best.verified / (best.workerMs / 1000) : null }
}

/** The peer's verification in a child Node process, timed inside it. */
function measurePeer(batch, reps) {
  const code = `
    const { EventUtils } = require('@nostr-relay/common')
    const batch = JSON.parse(require('fs').readFileSync(0, 'utf8'))
    const run = () => { let valid = 0; for (let r = 0; r < ${reps}; r++) for (const e of batch) if (!EventUtils.validate(e)) valid++; return valid }
    run()
    const t0 = performance.now(); const valid = run(); const ms = performance.now() - t0
    console.log(JSON.stringify({ valid, verified: ${reps} * batch.length, ms }))`
  const out = spawnSync(process.execPath, ['-e', code], { input: JSON.stringify(batch), encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) })
  if (out.status !== 0) throw new Error(out.stderr)
  const r = JSON.parse(out.stdout)
  return { ...r, perSecond: r.verified / (r.ms / 1000) }
}

export default {
  name: 'verifier',
  description: 'signature + id verification alone (1% forged signatures must fail)',
  targets: ['ours', 'peer'],
  capSeconds: (quick) => (quick ? 180 : 300),
  async run(target, ctx) {
    const batch = batchOf(await ctx.corpus(1000))
    const reps = ctx.quick ? 2 : 10
    const wantValid = reps * batch.filter((_, i) => i % 100 !== 99).length
    const checks = []
    const check = (name, r) => checks.push({ name: `${name}: ${wantValid} valid of ${r.verified}`, ok: r.valid === wantValid, detail: r.valid === wantValid ? '' : `${r.valid} valid` })
    if (target.name === 'peer') {
      const r = measurePeer(batch, reps)
      check('EventUtils.validate', r)
      return { metrics: { 'relay verifier events/s': metric(r.perSecond, 'ev/s') }, checks, extra: { verifier: '@nostr-relay/common EventUtils.validate (@noble/curves) in Node' } }
    }
    const worker = ctx.track(await startWrangler({ args: ['--config', config] }))
    const relay = await measureWorker(worker.httpUrl, 'relay', batch, reps, 3)
    const noble = await measureWorker(worker.httpUrl, 'noble', batch, ctx.quick ? 1 : 3, 3)
    check(`relay verifier (${relay.verifier})`, relay)
    checks.push({ name: 'relay verifier is wasm', ok: relay.verifier === 'wasm', detail: relay.verifier })
    const nobleWant = (ctx.quick ? 1 : 3) * batch.filter((_, i) => i % 100 !== 99).length
    checks.push({ name: 'verifyNoble refuses forged', ok: noble.valid === nobleWant, detail: noble.valid === nobleWant ? '' : `${noble.valid} valid` })
    return {
      metrics: {
        'relay verifier events/s': metric(relay.perSecond, 'ev/s'),
        'verifyNoble in workerd events/s': metric(noble.perSecond, 'ev/s'),
      },
      checks,
      extra: { relay, noble },
    }
  },
}
