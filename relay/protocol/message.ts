/** Client-to-relay frames (NIP-01, NIP-42 AUTH, NIP-45 COUNT): parsing only. Pure. */
import { parseFilter, type Filter } from './filter'

export type ClientMessage =
  | { type: 'EVENT'; event: unknown }
  | { type: 'AUTH'; event: unknown }
  | { type: 'REQ' | 'COUNT'; subId: string; filters: Filter[] }
  | { type: 'CLOSE'; subId: string }
  /** A REQ or COUNT refused before it ran; answered with CLOSED. */
  | { type: 'refused'; subId: string; reason: string }
  /** A frame we cannot act on at all; answered with NOTICE. */
  | { type: 'malformed'; reason: string }

export interface MessageLimits {
  maxSubidLength: number
  maxFilters: number
}

export function parseClientMessage(text: string, limits: MessageLimits): ClientMessage {
  let msg: unknown
  try {
    msg = JSON.parse(text)
  } catch {
    return { type: 'malformed', reason: 'invalid: message is not valid JSON' }
  }
  if (!Array.isArray(msg) || typeof msg[0] !== 'string') return { type: 'malformed', reason: 'invalid: message must be a JSON array starting with a string' }
  const verb = msg[0]
  switch (verb) {
    case 'EVENT':
    case 'AUTH':
      if (msg.length !== 2) return { type: 'malformed', reason: `invalid: ${verb} takes exactly one event` }
      return { type: verb, event: msg[1] }
    case 'CLOSE': {
      if (msg.length !== 2 || typeof msg[1] !== 'string') return { type: 'malformed', reason: 'invalid: CLOSE takes a subscription id' }
      return { type: 'CLOSE', subId: msg[1] }
    }
    case 'REQ':
    case 'COUNT': {
      const subId = msg[1]
      if (typeof subId !== 'string') return { type: 'malformed', reason: `invalid: ${verb} needs a subscription id string` }
      if (subId.length === 0 || subId.length > limits.maxSubidLength) {
        return { type: 'refused', subId, reason: `invalid: subscription id must be 1 to ${limits.maxSubidLength} characters` }
      }
      const rawFilters = msg.slice(2)
      if (rawFilters.length === 0) return { type: 'refused', subId, reason: `invalid: ${verb} needs at least one filter` }
      if (rawFilters.length > limits.maxFilters) return { type: 'refused', subId, reason: `invalid: too many filters (max ${limits.maxFilters})` }
      const filters: Filter[] = []
      for (const raw of rawFilters) {
        const f = parseFilter(raw)
        if ('error' in f) return { type: 'refused', subId, reason: f.error }
        filters.push(f)
      }
      return { type: verb, subId, filters }
    }
    default:
      return { type: 'malformed', reason: `invalid: unknown message type ${JSON.stringify(verb).slice(0, 20)}` }
  }
}

/** The id to answer an unusable EVENT with, if it has one we can echo. */
export function eventIdOf(event: unknown): string | null {
  const id = (event as { id?: unknown } | null)?.id
  return typeof id === 'string' && id.length <= 64 ? id : null
}
