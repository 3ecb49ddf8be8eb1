/**
 * NIP-90 job requests: reading their tags into a `Job`, telling the encryption scheme of an
 * encrypted one, and whether a request is meant for a given DVM. Pure.
 */
import type { NostrEvent } from '../nostr/signer'
import { isHex64 } from './kinds'
import type { InputType, Job, JobInput } from './types'

export type Encryption = 'nip04' | 'nip44'

/** What a request's tags say, whatever the event around them. */
export interface JobTags {
  inputs: JobInput[]
  params: Record<string, string>
  output?: string
  bid?: number
  relays: string[]
  /** DVMs named with `p` tags. */
  targets: string[]
  encrypted: boolean
}

const INPUT_TYPES = new Set<string>(['text', 'url', 'event', 'job'])

/** Reads request tags; `problems` lists what makes the request unservable (empty when it is fine). */
export function readJobTags(tags: string[][]): { fields: JobTags; problems: string[] } {
  const problems: string[] = []
  const fields: JobTags = { inputs: [], params: {}, relays: [], targets: [], encrypted: false }
  for (const tag of tags) {
    const [name, a, b, c, d] = tag
    switch (name) {
      case 'i':
        if (a === undefined || b === undefined) problems.push('an i tag needs data and an input type')
        else if (!INPUT_TYPES.has(b)) problems.push(`unknown input type "${b}" (text, url, event or job)`)
        else if ((b === 'event' || b === 'job') && !isHex64(a)) problems.push(`a ${b} input must be an event id`)
        else fields.inputs.push({ data: a, type: b as InputType, ...(c ? { relay: c } : {}), ...(d ? { marker: d } : {}) })
        break
      case 'param':
        if (a === undefined || b === undefined) problems.push('a param tag needs a name and a value')
        else fields.params[a] = b
        break
      case 'bid':
        if (a === undefined || !/^\d{1,15}$/.test(a)) problems.push('bid must be a whole number of millisats')
        else fields.bid = Number(a)
        break
      case 'output':
        if (a) fields.output = a
        break
      case 'p':
        if (isHex64(a) && !fields.targets.includes(a)) fields.targets.push(a)
        break
      case 'encrypted':
        fields.encrypted = true
        break
      case 'relays':
        for (const url of tag.slice(1)) if (url && !fields.relays.includes(url)) fields.relays.push(url)
        break
    }
  }
  if (fields.encrypted && fields.targets.length === 0) problems.push('an encrypted request must name its DVM with a p tag')
  return { fields, problems }
}

/** An input as its `i` tag, without trailing empty values. */
export function inputTag(i: JobInput): string[] {
  const tag = ['i', i.data, i.type, i.relay ?? '', i.marker ?? '']
  while (tag.length > 3 && tag[tag.length - 1] === '') tag.pop()
  return tag
}

/**
 * NIP-04 payloads read `<base64>?iv=<base64>`; anything else is taken for NIP-44 (its v2 payloads
 * are plain base64), which is what NDK sends although NIP-90 names NIP-04.
 */
export const encryptionOf = (content: string): Encryption => (/\?iv=[A-Za-z0-9+/=]+$/.test(content) ? 'nip04' : 'nip44')

/** A request naming DVMs with `p` tags is only the job of those it names. */
export const isForDvm = (fields: Pick<JobTags, 'targets'>, pubkey: string) => fields.targets.length === 0 || fields.targets.includes(pubkey)

/** The tags hidden in an encrypted request's content, once decrypted: a JSON list of string lists. */
export function readHiddenTags(plaintext: string): string[][] | { error: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(plaintext)
  } catch {
    return { error: 'the encrypted content is not JSON' }
  }
  const isTag = (t: unknown) => Array.isArray(t) && t.length > 0 && t.every((v) => typeof v === 'string')
  if (!Array.isArray(parsed) || !parsed.every(isTag)) return { error: 'the encrypted content must be a JSON list of tags' }
  return parsed as string[][]
}

/**
 * The `Job` a handler sees: the request's visible tags plus, for an encrypted request, those
 * decrypted from its content. `chained` starts empty; the runtime fills it.
 */
export function readJob(request: NostrEvent, hidden?: { tags: string[][]; encryption: Encryption }): { job: Job; problems: string[] } {
  const { fields, problems } = readJobTags(hidden ? [...request.tags, ...hidden.tags] : request.tags)
  const job: Job = {
    id: request.id,
    kind: request.kind,
    customer: request.pubkey,
    request,
    inputs: fields.inputs,
    params: fields.params,
    relays: fields.relays,
    chained: {},
    ...(fields.output !== undefined ? { output: fields.output } : {}),
    ...(fields.bid !== undefined ? { bid: fields.bid } : {}),
    ...(hidden ? { encryption: hidden.encryption } : {}),
  }
  return { job, problems }
}
