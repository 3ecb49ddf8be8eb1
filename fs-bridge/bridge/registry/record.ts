/** Namespaces as the bridge keeps them: an owner and mounts. Checking a proposed one is pure. */
import { isUnder } from '../../../sdk/fs/path'
import { isNamespaceId, type WireError } from '../../../sdk/services/remote/protocol'
import { refusal } from '../protocol/errors'
import { AUDIT_PATH } from '../protocol/limits'
import { checkPath } from '../protocol/request'

export type MountMode = 'ro' | 'rw'

export interface MountSpec {
  path: string
  /** Which service serves it: `type` or `type:argument` (see services.ts). */
  service: string
  mode: MountMode
}

export interface NamespaceRecord {
  id: string
  owner: string
  mounts: MountSpec[]
  /** Unix seconds. */
  created: number
  updated: number
}

export const MAX_MOUNTS = 32

/**
 * The mounts of a proposed namespace, checked: paths valid and distinct, none over the journal,
 * services the bridge knows (`knownService`), modes ro or rw.
 */
export function checkMounts(raw: unknown, knownService: (spec: string) => boolean): { mounts: MountSpec[] } | { error: WireError } {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_MOUNTS) return { error: refusal('EINVAL', `mounts must be a list of 1 to ${MAX_MOUNTS} mounts`) }
  const mounts: MountSpec[] = []
  for (const m of raw as Array<Record<string, unknown>>) {
    if (typeof m !== 'object' || m === null) return { error: refusal('EINVAL', 'each mount must be an object') }
    const path = checkPath(m.path, 'mount path')
    if ('error' in path) return path
    if (isUnder(path.ok, AUDIT_PATH)) return { error: refusal('EINVAL', `${AUDIT_PATH} is the bridge's`) }
    if (mounts.some((x) => x.path === path.ok)) return { error: refusal('EINVAL', `${path.ok} is mounted twice`) }
    if (typeof m.service !== 'string' || !knownService(m.service)) return { error: refusal('EINVAL', `unknown service ${JSON.stringify(m.service)}`) }
    const mode = m.mode ?? 'rw'
    if (mode !== 'ro' && mode !== 'rw') return { error: refusal('EINVAL', 'mode must be ro or rw') }
    mounts.push({ path: path.ok, service: m.service, mode })
  }
  return { mounts }
}

export function checkNamespaceId(id: unknown): WireError | null {
  return isNamespaceId(id) ? null : refusal('EINVAL', 'a namespace id is 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit')
}
