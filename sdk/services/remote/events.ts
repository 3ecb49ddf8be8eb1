/**
 * The events a client of the fs-bridge signs (requests, grants, blob upload authorizations) and
 * how it recognises the bridge's answers. Pure: encryption and signing happen elsewhere.
 */
import type { EventTemplate, NostrEvent } from '../../nostr/signer'
import { normalizePath } from '../../fs/path'
import { ANSWER_TTL, GRANT_KIND, NOTIFICATION_KIND, REQUEST_KIND, RESPONSE_KIND } from './protocol'

/** A request to `bridge`, its content already NIP-44 encrypted to the bridge's key. */
export function requestTemplate(bridge: string, content: string, now: number): EventTemplate {
  return { kind: REQUEST_KIND, created_at: now, tags: [['p', bridge], ['expiration', String(now + ANSWER_TTL)]], content }
}

/** Which request or watch an event of `bridge` answers: a response or a notification, by the id in its `e` tag. */
export function answerOf(event: NostrEvent, bridge: string): { type: 'response' | 'notification'; to: string } | null {
  if (event.pubkey !== bridge) return null
  const type = event.kind === RESPONSE_KIND ? 'response' : event.kind === NOTIFICATION_KIND ? 'notification' : null
  const to = event.tags.find((t) => t[0] === 'e')?.[1]
  return type && to ? { type, to } : null
}

export interface Allow {
  path: string
  /** Some of r (read), w (write), x (control writes under /cap). */
  rights: string
}

const RIGHTS = /^[rwx]+$/

/** `/workspace:rw` (a path, a colon, rights) as an allow rule; a TypeError says what is wrong. */
export function parseAllow(text: string): Allow {
  const cut = text.lastIndexOf(':')
  const rights = cut < 0 ? '' : text.slice(cut + 1)
  if (cut <= 0 || !RIGHTS.test(rights)) throw new TypeError(`an allow rule is <path>:<rights of r, w, x>, e.g. /workspace:rw; got "${text}"`)
  return { path: normalizePath(text.slice(0, cut)), rights: [...new Set(rights)].join('') }
}

export interface GrantSpec {
  grantee: string
  ns: string
  /** None revokes: the grant is replaced by one that allows nothing. */
  allow: Allow[]
  /** The grant's `d`: one grant per grantee and namespace unless given. */
  id?: string
  /** Unix seconds after which the grant no longer counts. */
  expiration?: number
}

/** The grant's address part: the same for a grant and its revocation, so one replaces the other. */
export const grantId = (spec: Pick<GrantSpec, 'grantee' | 'ns' | 'id'>) => spec.id ?? `${spec.ns}/${spec.grantee}`

/** A capability grant (35931), signed by the namespace owner. */
export function grantTemplate(spec: GrantSpec, now: number): EventTemplate {
  const tags = [['d', grantId(spec)], ['p', spec.grantee], ['ns', spec.ns], ...spec.allow.map((a) => ['allow', a.path, a.rights])]
  if (spec.expiration !== undefined) tags.push(['expiration', String(spec.expiration)])
  return { kind: GRANT_KIND, created_at: now, tags, content: '' }
}

export const BLOSSOM_AUTH_KIND = 24242
/** Seconds an upload authorization stays valid. */
const UPLOAD_TTL = 300

/** A Blossom (BUD-01/02) authorization to upload the blob with sha256 `x`. */
export function uploadAuthTemplate(x: string, size: number, now: number): EventTemplate {
  return {
    kind: BLOSSOM_AUTH_KIND, created_at: now, content: `Upload ${size} bytes`,
    tags: [['t', 'upload'], ['x', x], ['size', String(size)], ['expiration', String(now + UPLOAD_TTL)]],
  }
}
