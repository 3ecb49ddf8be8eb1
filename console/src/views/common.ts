/** Pieces several views show: status badges, kind names, keys, polling. */
import { jobKind } from '../job-request'
import { h } from '../dom'
import { shortKey } from '../format'

export const statusBadge = (status: string) => h('span', { class: `status status-${status}` }, status)

export const kindLabel = (kind: number) => `${kind} · ${jobKind(kind).name}`

/** A pubkey shown short, with the whole key for those who hover or copy it. */
export const keyText = (pubkey: string) => h('code', { class: 'key', title: pubkey }, shortKey(pubkey))

export const heading = (text: string, intro?: string) => [h('h2', { tabindex: -1 }, text), intro ? h('p', { class: 'intro' }, intro) : null]

/** Runs `load` now and every `ms` until stopped; runs never overlap. */
export function poll(load: () => Promise<void>, ms: number): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const run = async () => {
    await load().catch(() => undefined)
    if (!stopped) timer = setTimeout(run, ms)
  }
  void run()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
