/**
 * Capability grants (kind 35931): what the namespace owner lets another pubkey do, by path
 * prefix. The owner may do everything; a grant only narrows what is mounted. Pure.
 */
import { isUnder, normalizePath } from '../../../sdk/fs/path'
import type { NostrEvent } from '../../../sdk/nostr/signer'
import { GRANT_KIND, type WireError } from '../../../sdk/services/remote/protocol'
import type { Access, Right } from './access'
import { refusal } from './errors'

export interface Allow {
  path: string
  rights: ReadonlySet<Right>
}

export interface Grant {
  owner: string
  grantee: string
  ns: string
  allow: Allow[]
  expiration: number | null
}

const RIGHTS = /^[rwx]+$/

/**
 * A grant event read into rules, or null when it is not one. Malformed `allow` tags are skipped
 * rather than failing the grant, so a newer client's extra rights never widen an older reading.
 */
export function readGrant(event: Pick<NostrEvent, 'kind' | 'pubkey' | 'tags'>): Grant | null {
  if (event.kind !== GRANT_KIND) return null
  const value = (name: string) => event.tags.find((t) => t[0] === name)?.[1]
  const grantee = value('p')
  const ns = value('ns')
  if (!grantee || !ns) return null
  const allow: Allow[] = []
  for (const t of event.tags) {
    if (t[0] !== 'allow' || typeof t[2] !== 'string' || !RIGHTS.test(t[2])) continue
    try {
      allow.push({ path: normalizePath(t[1]), rights: new Set(t[2].split('') as Right[]) })
    } catch {
      // not a path: skipped
    }
  }
  const exp = value('expiration')
  return { owner: event.pubkey, grantee, ns, allow, expiration: exp !== undefined && /^\d{1,15}$/.test(exp) ? Number(exp) : null }
}

/** The grants that count for `caller` on namespace `ns` of `owner` now. */
export function validGrants(grants: Grant[], owner: string, ns: string, caller: string, now: number): Grant[] {
  return grants.filter((g) => g.owner === owner && g.ns === ns && g.grantee === caller && (g.expiration === null || g.expiration > now))
}

/** Whether `path` may be used with `right` under these (valid) grants: any allow rule covering it says so. */
export function allows(grants: Grant[], path: string, right: Right): boolean {
  return grants.some((g) => g.allow.some((a) => a.rights.has(right) && isUnder(path, a.path)))
}

/** null when the caller may go ahead; otherwise the refusal. */
export function authorize(caller: string, owner: string, grants: Grant[], access: Access): WireError | null {
  if (caller === owner || access.right === null) return null
  if (access.ownerOnly) return refusal('EACCES', 'only the namespace owner may do this')
  const needed = access.right
  const denied = access.paths.find((p) => !allows(grants, p, needed))
  if (denied === undefined) return null
  const what = needed === 'x' ? 'the control right (x)' : needed === 'w' ? 'write access (w)' : 'read access (r)'
  return refusal('EACCES', `no grant gives ${what} to ${denied}`)
}
