// The peer: @nostr-relay/core + event-repository-sqlite in a child Node process on 127.0.0.1,
// with a fresh SQLite file per start.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../lib/ports.mjs'

const server = fileURLToPath(new URL('../peer/server.mjs', import.meta.url))

export const peer = {
  name: 'peer',
  label: '@nostr-relay/core 0.0.40 + event-repository-sqlite (Node, ws, better-sqlite3)',
  /** countSql: count SQLite statements and messages, read with counts(). */
  async start({ countSql = false } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-peer-'))
    const port = await freePort()
    const child = spawn(process.execPath, [server, String(port), join(dir, 'nostr.db')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...(countSql && { BENCH_COUNT_SQL: '1' }) },
    })
    let log = ''
    const exited = new Promise((resolve) => child.once('exit', resolve))
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`peer relay did not start:\n${log}`)), 30_000)
      child.stdout.on('data', (d) => {
        log += d
        if (log.includes('listening')) {
          clearTimeout(timer)
          resolve()
        }
      })
      child.stderr.on('data', (d) => (log = (log + d).slice(-8000)))
      child.once('exit', (code) => {
        clearTimeout(timer)
        reject(new Error(`peer relay exited with ${code}:\n${log}`))
      })
    })
    return {
      url: `ws://127.0.0.1:${port}`,
      groups: () => ({ relay: [child.pid] }),
      counts: async () => (await fetch(`http://127.0.0.1:${port}/__bench/counts`)).json(),
      async stop() {
        if (child.exitCode === null) child.kill('SIGTERM')
        await exited
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}
