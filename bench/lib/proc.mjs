// Process accounting from /proc: the processes a target started, their CPU time and RSS.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs'

const TICK_MS = 10 // USER_HZ is 100 on Linux

function stat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(rest[1]), cpuMs: (Number(rest[11]) + Number(rest[12])) * TICK_MS }
  } catch {
    return null
  }
}

export function cmdline(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  } catch {
    return []
  }
}

/** All live descendants of `root` (default: this process). */
export function descendants(root = process.pid) {
  const children = new Map()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const st = stat(name)
    if (!st) continue
    const list = children.get(st.ppid) ?? []
    list.push(Number(name))
    children.set(st.ppid, list)
  }
  const out = []
  const walk = (pid) => {
    for (const c of children.get(pid) ?? []) {
      out.push(c)
      walk(c)
    }
  }
  walk(root)
  return out
}

/** CPU time (user + system) in ms, summed over pids; dead ones count 0. */
export const cpuMs = (pids) => pids.reduce((sum, pid) => sum + (stat(pid)?.cpuMs ?? 0), 0)

/** Resident set size in KiB, summed over pids. */
export function rssKb(pids) {
  let sum = 0
  for (const pid of pids) {
    try {
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)
      if (m) sum += Number(m[1])
    } catch {
      // gone
    }
  }
  return sum
}

/** CPU and RSS of a target's process groups ({ role: pids }), read as one snapshot. */
export function snapshot(groups) {
  const out = {}
  for (const [role, pids] of Object.entries(groups)) out[role] = { cpuMs: cpuMs(pids), rssKb: rssKb(pids) }
  return out
}

/** CPU ms spent by each group between two snapshots. */
export function cpuDelta(before, after) {
  const out = {}
  for (const role of Object.keys(after)) out[role] = after[role].cpuMs - (before[role]?.cpuMs ?? 0)
  return out
}

/** TCP ports a process listens on (its socket fds matched in /proc/<pid>/net/tcp). */
export function listeningPorts(pid) {
  const inodes = new Set()
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const m = readlinkSync(`/proc/${pid}/fd/${fd}`).match(/^socket:\[(\d+)\]$/)
        if (m) inodes.add(m[1])
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return []
  }
  const ports = []
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f[3] === '0A' && inodes.has(f[9])) ports.push(parseInt(f[1].split(':').pop(), 16))
    }
  }
  return ports
}
