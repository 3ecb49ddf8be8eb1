// Our relay, as `npm start` runs it: wrangler dev (local D1 and Durable Objects in workerd),
// with fresh state in a temp dir and rate limits raised so the bench measures the relay, not
// its limiter. wrangler dev runs two workerd processes: a proxy that owns the public port and
// the one running the Worker and the relay Durable Object (the one with an inspector).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startPlatform } from '../../scripts/local-platform.mjs'
import { freePort } from '../lib/ports.mjs'
import { readFileSync } from 'node:fs'
import { cmdline, descendants, listeningPorts } from '../lib/proc.mjs'

const instrumentedEntry = fileURLToPath(new URL('../instrumented/worker.ts', import.meta.url))

export const HIGH_LIMITS = {
  EVENTS_PER_SECOND: '1000000',
  EVENT_BURST: '1000000',
  EVENTS_PER_SECOND_PER_IP: '1000000',
  REQS_PER_SECOND: '1000000',
  MAX_SUBSCRIPTIONS: '1000',
}

/** Splits the processes a wrangler dev start created into the relay workerd, the proxy workerd and the rest. */
export function wranglerGroups(pids) {
  const workerd = pids.filter((pid) => cmdline(pid)[0]?.endsWith('/workerd'))
  const relay = workerd.filter((pid) => cmdline(pid).some((a) => a.startsWith('--inspector-addr')))
  return { relay, proxy: workerd.filter((p) => !relay.includes(p)), wrangler: pids.filter((p) => !workerd.includes(p)) }
}

/**
 * The relay workerd's own entry socket, behind wrangler dev's proxy: the listening port that
 * answers NIP-11. The proxy holds ~6 file descriptors per WebSocket, so in a sandbox whose hard
 * limit is 20,000 it stops accepting at ~3,300 sockets; the fan-out connects here instead.
 */
export async function directUrl(relayPids) {
  for (const pid of relayPids) {
    for (const port of listeningPorts(pid)) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { Accept: 'application/nostr+json' } })
        if (res.ok && (await res.json()).name !== undefined) return `ws://127.0.0.1:${port}`
      } catch {
        // not the entry socket
      }
    }
  }
  throw new Error('relay workerd entry socket not found')
}

/** Kills what is left of a start (by pid), once its launcher has stopped. */
export function reap(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
}

export const ours = {
  name: 'ours',
  label: 'oanix-edge relay (wrangler dev → workerd, local D1)',
  /** countSql: run bench/instrumented/worker.ts instead, whose counts() reads storage counters. */
  async start({ vars = {}, countSql = false } = {}) {
    if (countSql) {
      const { startWrangler } = await import('../lib/wrangler.mjs')
      const relay = await startWrangler({ args: [instrumentedEntry], migrate: true, vars: { ...HIGH_LIMITS, ...vars } })
      return { ...relay, counts: async () => (await fetch(`${relay.httpUrl}/__bench/counts`)).json() }
    }
    const dir = mkdtempSync(join(tmpdir(), 'bench-ours-'))
    const port = await freePort()
    const before = new Set(descendants())
    const platform = await startPlatform({ port, persistTo: dir, vars: { ...HIGH_LIMITS, ...vars } })
    const pids = descendants().filter((p) => !before.has(p))
    const groups = wranglerGroups(pids)
    return {
      url: platform.url,
      directUrl: () => directUrl(groups.relay),
      /** WebSockets the dev proxy can hold: ~6 fds each under the process's hard fd limit. */
      maxSockets: () => Math.floor((fdLimit() - 500) / 6.2),
      /** CPU/RSS groups; `relay` is the process running the relay object. */
      groups: () => ({ relay: groups.relay, proxy: groups.proxy }),
      async stop() {
        await platform.stop()
        reap(pids)
        rmSync(dir, { recursive: true, force: true })
      },
    }
  },
}

const fdLimit = () => Number(readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+\d+\s+(\d+)/)?.[1] ?? 1e9)

/** Ours again, with clients connected to the relay workerd's own socket, past the dev proxy. */
export const oursDirect = {
  name: 'ours-direct',
  label: 'the same, clients connected to the relay workerd directly (no wrangler dev proxy)',
  async start(opts) {
    const instance = await ours.start(opts)
    return { ...instance, url: await instance.directUrl(), maxSockets: undefined }
  },
}
