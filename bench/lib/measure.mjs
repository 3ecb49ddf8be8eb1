// Per-phase process accounting of a started target: CPU ms per group and RSS.
import { cpuDelta, snapshot } from './proc.mjs'

/** Runs fn, returning its result and the CPU ms each of the instance's process groups spent. */
export async function withCpu(instance, fn) {
  const before = snapshot(instance.groups())
  const result = await fn()
  const after = snapshot(instance.groups())
  return { result, cpu: cpuDelta(before, after), rss: after }
}

/** RSS of the relay process group in MiB. */
export const relayRssMb = (instance) => snapshot(instance.groups()).relay.rssKb / 1024

/** Relay CPU (and, for ours, the wrangler dev proxy's) per operation, as report metrics. */
export function cpuMetrics(cpu, count, what, metric) {
  const out = { [`relay CPU per ${what}`]: metric(cpu.relay / count, 'ms', 'lower') }
  if (cpu.proxy !== undefined) out[`dev proxy CPU per ${what}`] = metric(cpu.proxy / count, 'ms', 'lower')
  return out
}
