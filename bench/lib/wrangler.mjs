// `wrangler dev` for bench-only Workers (the verifier worker, the instrumented relay entry),
// started like scripts/local-platform.mjs starts the platform, with extra arguments.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './ports.mjs'
import { descendants } from './proc.mjs'
import { reap, wranglerGroups } from '../targets/ours.mjs'

const root = fileURLToPath(new URL('../..', import.meta.url))
const wrangler = join(root, 'node_modules/wrangler/bin/wrangler.js')
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }

/**
 * @param {{ args?: string[], migrate?: boolean, vars?: Record<string, string> }} options
 *   args: extra `wrangler dev` arguments (e.g. --config or an entry script)
 */
export async function startWrangler({ args = [], migrate = false, vars = {} } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrangler-'))
  const persist = ['--persist-to', dir]
  if (migrate) {
    const m = spawnSync(process.execPath, [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], { cwd: root, env: { ...env, CI: 'true' }, encoding: 'utf8' })
    if (m.status !== 0) throw new Error(`D1 migrations failed:\n${m.stdout}\n${m.stderr}`)
  }
  const port = await freePort()
  const before = new Set(descendants())
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  const child = spawn(
    process.execPath,
    [wrangler, 'dev', ...args, '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0', '--show-interactive-dev-session=false', ...persist, ...varArgs],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  for (const s of [child.stdout, child.stderr]) s.on('data', (d) => (log = (log + d).slice(-8000)))
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const httpUrl = `http://127.0.0.1:${port}`
  let pids = []
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
    reap(pids)
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log}`)
    try {
      const res = await fetch(httpUrl)
      if (res.status < 500) {
        pids = descendants().filter((p) => !before.has(p))
        const groups = wranglerGroups(pids)
        return { url: `ws://127.0.0.1:${port}`, httpUrl, log: () => log, groups: () => ({ relay: groups.relay, proxy: groups.proxy }), stop }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error(`wrangler dev did not answer on ${httpUrl}:\n${log}`)
}
