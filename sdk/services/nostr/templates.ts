/**
 * What an agent writes to `submit` and `request`, read into the event template it signs. Pure:
 * bad input throws a TypeError naming the field, and nothing else happens. The NIP-90 tags come
 * from the job client's `jobRequestTags`; this module reads OANIX's JSON shapes into its spec.
 */
import { isHex64, isJobRequestKind } from '../../dvm/kinds'
import type { InputType, JobInput } from '../../dvm/types'
import { jobRequestTags } from '../../jobs/request'
import type { EventTemplate } from '../../nostr/signer'

const INPUT_TYPES: readonly string[] = ['text', 'url', 'event', 'job'] satisfies InputType[]

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isInt = (v: unknown, min: number, max: number): v is number => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max

function fields(json: unknown, what: string, allowed: string[]): Record<string, unknown> {
  if (!isRecord(json)) throw new TypeError(`${what} must be a JSON object`)
  const unknown = Object.keys(json).filter((k) => !allowed.includes(k))
  if (unknown.length > 0) throw new TypeError(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed.join(', ')})`)
  return json
}

function tagsOf(value: unknown): string[][] {
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((t) => Array.isArray(t) && t.length > 0 && t.every((s) => typeof s === 'string'))) {
    throw new TypeError('"tags" must be a list of non-empty lists of strings')
  }
  return value.map((t: string[]) => [...t])
}

function createdAt(value: unknown, now: number): number {
  if (value === undefined) return now
  if (!isInt(value, 0, Number.MAX_SAFE_INTEGER)) throw new TypeError('"created_at" must be a whole number of unix seconds')
  return value
}

function contentOf(value: unknown): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') throw new TypeError('"content" must be a string')
  return value
}

/** `submit`: `{"kind","content","tags"?,"created_at"?}`. */
export function submitTemplate(json: unknown, now: number): EventTemplate {
  const f = fields(json, 'submit', ['kind', 'content', 'tags', 'created_at'])
  if (!isInt(f.kind, 0, 65535)) throw new TypeError('"kind" must be an integer in 0-65535')
  return { kind: f.kind, content: contentOf(f.content), tags: tagsOf(f.tags), created_at: createdAt(f.created_at, now) }
}

function inputOf(value: unknown): JobInput {
  let input: Record<string, unknown>
  if (Array.isArray(value)) {
    if (value.length < 2 || value.length > 4) throw new TypeError('an input tuple is [data, type, relay?, marker?]')
    const [data, type, relay, marker] = value
    input = { data, type, relay, marker }
  } else if (isRecord(value)) {
    input = fields(value, 'an input', ['data', 'type', 'relay', 'marker'])
  } else {
    throw new TypeError('"input" must be text, a [data, type, relay?, marker?] tuple, an object, or a list of them')
  }
  const { data, type, relay, marker } = input
  if (typeof data !== 'string') throw new TypeError('input data must be a string')
  if (typeof type !== 'string' || !INPUT_TYPES.includes(type)) throw new TypeError(`input type must be one of ${INPUT_TYPES.join(', ')}`)
  if ((type === 'event' || type === 'job') && !isHex64(data)) throw new TypeError(`a ${type} input must be a 64-character hex event id`)
  if ((relay !== undefined && typeof relay !== 'string') || (marker !== undefined && typeof marker !== 'string')) {
    throw new TypeError('input relay and marker must be strings')
  }
  return { data, type: type as InputType, ...(relay !== undefined ? { relay: relay as string } : {}), ...(marker !== undefined ? { marker: marker as string } : {}) }
}

/** The inputs an `input` field names: text, a tuple, a JobInput object, or a list of tuples and objects. */
export function jobInputs(value: unknown): JobInput[] {
  if (value === undefined) return []
  if (typeof value === 'string') return [{ data: value, type: 'text' }]
  // A list whose first element is a string is one tuple; otherwise a list of inputs.
  if (Array.isArray(value) && value.length > 0 && typeof value[0] !== 'string') return value.map(inputOf)
  return [inputOf(value)]
}

function paramsOf(value: unknown): Record<string, string> {
  if (value === undefined) return {}
  if (!isRecord(value)) throw new TypeError('"params" must be an object of names to values')
  const out: Record<string, string> = {}
  for (const [name, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`param "${name}" must be a string, number or boolean`)
    out[name] = String(v)
  }
  return out
}

function relaysOf(value: unknown, fallback: string[]): string[] {
  if (value === undefined) return fallback
  if (!Array.isArray(value) || !value.every((u) => typeof u === 'string' && /^wss?:\/\/./.test(u))) {
    throw new TypeError('"relays" must be a list of ws:// or wss:// URLs')
  }
  return value
}

/**
 * `request`: `{"kind":5000-5999,"input"?,"params"?,"relays"?,"bid"?,"output"?,"tags"?,"content"?,"created_at"?}`
 * into a NIP-90 request: an `i` tag per input, `param` tags, `output`, `bid`, one `relays` tag
 * (`relays`, else the relays NostrFs uses), then the extra `tags` (e.g. `["p", provider]`).
 */
export function requestTemplate(json: unknown, options: { now: number; relays?: string[] }): EventTemplate {
  const f = fields(json, 'request', ['kind', 'input', 'params', 'relays', 'bid', 'output', 'tags', 'content', 'created_at'])
  if (!isInt(f.kind, 0, 65535) || !isJobRequestKind(f.kind)) throw new TypeError('"kind" must be a job request kind, 5000-5999')
  if (f.bid !== undefined && !isInt(f.bid, 0, 999_999_999_999_999)) throw new TypeError('"bid" must be a whole number of millisats')
  if (f.output !== undefined && (typeof f.output !== 'string' || f.output === '')) throw new TypeError('"output" must be a mime type')
  const { visible } = jobRequestTags({
    kind: f.kind,
    inputs: jobInputs(f.input),
    params: paramsOf(f.params),
    relays: relaysOf(f.relays, options.relays ?? []),
    ...(f.bid !== undefined ? { bid: f.bid } : {}),
    ...(f.output !== undefined ? { output: f.output as string } : {}),
  })
  return { kind: f.kind, content: contentOf(f.content), tags: [...visible, ...tagsOf(f.tags)], created_at: createdAt(f.created_at, options.now) }
}
