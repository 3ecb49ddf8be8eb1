// Starts the platform under `wrangler dev` with local D1, R2, KV and Durable Objects, after
// applying the D1 migrations. Used by `npm start`, the black-box tests and the benchmarks.
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const wrangler = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }

/**
 * @param {{ port?: number, persistTo?: string, vars?: Record<string, string>, stdio?: 'inherit' | 'pipe' }} options
 * @returns {Promise<{ url: string, httpUrl: string, stop: () => Promise<void> }>}
 */
export async function startPlatform({ port = 8787, persistTo, vars = {}, stdio = 'pipe' } = {}) {
  const persist = persistTo ? ['--persist-to', persistTo] : []
  const migrate = spawnSync(process.execPath, [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    cwd: root,
    env: { ...env, CI: 'true' },
    encoding: 'utf8',
  })
  if (migrate.status !== 0) throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`)

  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])
  // An instance with its own state (tests, benchmarks) reads an empty env file instead of the
  // developer's .dev.vars, so a configured model back-end cannot change what the tests see.
  if (persistTo) {
    writeFileSync(join(persistTo, 'empty.env'), '')
    varArgs.push('--env-file', join(persistTo, 'empty.env'))
  }
  const child = spawn(
    process.execPath,
    [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', '0', '--show-interactive-dev-session=false', ...persist, ...varArgs],
    { cwd: root, env, stdio: ['ignore', stdio, stdio] },
  )
  const httpUrl = `http://127.0.0.1:${port}`
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
  }
  let log = ''
  if (stdio === 'pipe') for (const s of [child.stdout, child.stderr]) s.on('data', (d) => (log = (log + d).slice(-8000)))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}:\n${log}`)
    try {
      const res = await fetch(httpUrl, { headers: { Accept: 'application/nostr+json' } })
      if (res.ok) return { url: `ws://127.0.0.1:${port}`, httpUrl, stop }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  await stop()
  throw new Error(`wrangler dev did not answer on ${httpUrl} within 60 s:\n${log}`)
}
