/** What the bridge sends back: response and notification bodies and their event templates. Pure. */
import type { DirEntry } from '../../../sdk/fs/types'
import {
  ANSWER_TTL, entryResult, NOTIFICATION_KIND, RESPONSE_KIND, type ResponseBody, type Result, type WireChange, type WireEntry, type WireError,
} from '../../../sdk/services/remote/protocol'

export const success = (result: Result): ResponseBody => ({ ok: true, result })
export const failure = (error: WireError): ResponseBody => ({ ok: false, error })

export interface Template {
  kind: number
  created_at: number
  tags: string[][]
  content: string
}

const expiry = (now: number) => ['expiration', String(now + ANSWER_TTL)]

/** A response to request `id` of `caller`, its content already encrypted to the caller. */
export function responseTemplate(id: string, caller: string, content: string, now: number): Template {
  return { kind: RESPONSE_KIND, created_at: now, tags: [['e', id], ['p', caller], expiry(now)], content }
}

/** A notification for watch `watchId` (the id of the watch request). */
export function notificationTemplate(watchId: string, caller: string, content: string, now: number): Template {
  return { kind: NOTIFICATION_KIND, created_at: now, tags: [['e', watchId], ['p', caller], expiry(now)], content }
}

/**
 * What a watcher may see of a change, given which paths it may read: a rename across the edge of
 * what it may read is, to it, a delete or a create.
 */
export function visibleChange(c: WireChange, readable: (path: string) => boolean): WireChange[] {
  const from = readable(c.path)
  if (c.type !== 'rename' || c.to === undefined) return from ? [c] : []
  const to = readable(c.to)
  if (from && to) return [c]
  if (from) return [{ type: 'delete', path: c.path }]
  return to ? [{ type: 'create', path: c.to }] : []
}

/**
 * One page of a sorted listing: entries after `cursor`, at most `limit`, and no more than fit in
 * `budget` bytes of JSON; `next_cursor` when more remain.
 */
export function page(entries: DirEntry[], cursor: string | undefined, limit: number, budget: number): Result {
  const rest = cursor === undefined ? entries : entries.filter((e) => e.name > cursor)
  const out: WireEntry[] = []
  let bytes = 0
  for (const e of rest) {
    const wire = entryResult(e)
    bytes += new TextEncoder().encode(JSON.stringify(wire)).length + 1
    if (out.length === limit || (bytes > budget && out.length > 0)) break
    out.push(wire)
  }
  return out.length < rest.length ? { entries: out, next_cursor: out[out.length - 1].name } : { entries: out }
}
