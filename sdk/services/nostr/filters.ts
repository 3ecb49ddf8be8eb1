/**
 * What an agent writes to `subscriptions`: a NIP-01 filter or a list of them (a new
 * subscription), or `{"close": id}`. Pure; bad input throws a TypeError naming the field.
 */
import type { Filter } from 'nostr-tools/filter'
import { isHex64 } from '../../dvm/kinds'

export type { Filter }

export type SubscriptionCommand = { open: Filter[] } | { close: string }

const TAG_KEY = /^#[a-zA-Z]$/
/** Filter lists NIP-01 says hold 64-character lowercase hex. */
const HEX_LISTS = new Set(['ids', 'authors', '#e', '#p'])

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isCount = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0

/** Checks one filter and returns a copy of it. */
export function readFilter(value: unknown): Filter {
  if (!isRecord(value)) throw new TypeError('a filter must be a JSON object')
  for (const [key, v] of Object.entries(value)) {
    if (key === 'ids' || key === 'authors' || TAG_KEY.test(key)) {
      if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === 'string')) throw new TypeError(`"${key}" must be a non-empty list of strings`)
      if (HEX_LISTS.has(key) && !v.every(isHex64)) throw new TypeError(`"${key}" must hold 64-character lowercase hex values`)
    } else if (key === 'kinds') {
      if (!Array.isArray(v) || v.length === 0 || !v.every((k) => isCount(k) && k <= 65535)) throw new TypeError('"kinds" must be a non-empty list of kinds (0-65535)')
    } else if (key === 'since' || key === 'until' || key === 'limit') {
      if (!isCount(v)) throw new TypeError(`"${key}" must be a non-negative integer`)
    } else if (key === 'search') {
      if (typeof v !== 'string') throw new TypeError('"search" must be a string')
    } else {
      throw new TypeError(`unknown filter field "${key}"`)
    }
  }
  return structuredClone(value) as Filter
}

export function readSubscriptionCommand(json: unknown): SubscriptionCommand {
  if (isRecord(json) && 'close' in json) {
    if (Object.keys(json).length !== 1 || typeof json.close !== 'string') throw new TypeError('closing is {"close": "<subscription id>"}')
    return { close: json.close }
  }
  if (Array.isArray(json)) {
    if (json.length === 0) throw new TypeError('a subscription needs at least one filter')
    return { open: json.map(readFilter) }
  }
  return { open: [readFilter(json)] }
}
