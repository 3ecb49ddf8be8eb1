// Results: the machine, and a markdown table of ours vs the peer per scenario and metric.
import { execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

const fmt = (v) => (v === null || v === undefined ? '–' : typeof v === 'number' ? (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(v)) : String(v))

export function machine(root) {
  const git = (args) => {
    try {
      return execSync(`git ${args}`, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }
  const version = (pkg) => {
    try {
      return JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')).version
    } catch {
      return null
    }
  }
  return {
    date: new Date().toISOString(),
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    commit: git('rev-parse --short HEAD'),
    dirty: (git('status --porcelain -- relay migrations wrangler.toml') ?? '') !== '',
    versions: { wrangler: version('wrangler'), '@nostr-relay/core': version('@nostr-relay/core'), 'better-sqlite3': version('better-sqlite3') },
  }
}

function ratio(ours, peer) {
  if (typeof ours?.value !== 'number' || typeof peer?.value !== 'number' || peer.value === 0) return '–'
  const r = ours.value / peer.value
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×`
}

const arrow = { higher: ' ↑', lower: ' ↓', none: '' }

function status(run) {
  if (!run) return '–'
  if (run.status !== 'ok') return `**${run.status.toUpperCase()}**`
  const failed = run.checks.filter((c) => !c.ok).length
  return failed ? `**FAIL** (${failed}/${run.checks.length} checks)` : `pass (${run.checks.length} checks)`
}

export function markdown(results) {
  const m = results.machine
  const lines = [
    `# Relay benchmark${results.quick ? ' (quick)' : ''}`,
    '',
    `${m.date} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · Node ${m.node} · commit ${m.commit}${m.dirty ? ' + uncommitted relay changes' : ''} · wrangler ${m.versions.wrangler} · peer @nostr-relay/core ${m.versions['@nostr-relay/core']} (better-sqlite3 ${m.versions['better-sqlite3']}) · ${results.totalSeconds} s in all`,
    '',
    ...Object.entries(results.targets).map(([name, label]) => `- **${name}**: ${label}`),
    '',
    '↑ higher is better, ↓ lower is better; ratios are ours / peer and ours-direct / peer. CPU is process CPU time (user + system) per operation.',
    '',
    '| scenario | metric | ours | ours-direct | peer | ours / peer | direct / peer |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ]
  for (const s of results.scenarios) {
    const { ours, peer } = s.runs
    const direct = s.runs['ours-direct']
    lines.push(`| **${s.name}** | correctness | ${status(ours)} | ${status(direct)} | ${status(peer)} | | |`)
    const keys = [...new Set([ours, direct, peer].flatMap((r) => Object.keys(r?.metrics ?? {})))]
    for (const k of keys) {
      const [o, d, p] = [ours, direct, peer].map((r) => r?.metrics?.[k])
      const m = o ?? d ?? p
      lines.push(`| ${s.name} | ${k}${m.unit ? ` (${m.unit})` : ''}${arrow[m.better] ?? ''} | ${fmt(o?.value)} | ${fmt(d?.value)} | ${fmt(p?.value)} | ${ratio(o, p)} | ${ratio(d, p)} |`)
    }
  }
  const notes = results.scenarios.flatMap((s) => Object.entries(s.runs).flatMap(([t, run]) => (run.notes ?? []).map((n) => `- ${s.name} / ${t}: ${n}`)))
  if (notes.length) lines.push('', '## Notes', '', ...notes)
  const failures = results.scenarios.flatMap((s) =>
    Object.entries(s.runs).flatMap(([t, run]) => [
      ...(run.error ? [`- ${s.name} / ${t}: ${run.status}: ${run.error}`] : []),
      ...(run.checks ?? []).filter((c) => !c.ok).map((c) => `- ${s.name} / ${t}: ${c.name}: ${c.detail}`.slice(0, 600)),
    ]),
  )
  lines.push('', '## Failed checks', '', ...(failures.length ? failures : ['none']), '')
  return lines.join('\n')
}
