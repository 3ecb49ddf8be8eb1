/**
 * What a request needs: which right on which paths. Reads need `r`; writes need `w` on every
 * path they change (both ends of a rename); writes under /cap need `x`, the control right,
 * instead. The journal file is the owner's alone. Pure.
 */
import { isUnder } from '../../../sdk/fs/path'
import { AUDIT_PATH, CONTROL_PREFIX } from './limits'
import type { FsRequest } from './request'

export type Right = 'r' | 'w' | 'x'

export interface Access {
  /** null: the request acts only on the caller's own state (unwatch). */
  right: Right | null
  paths: string[]
  /** Only the namespace owner may do this, whatever the grants say. */
  ownerOnly: boolean
}

const READS = new Set(['stat', 'readdir', 'read', 'watch'])

/**
 * Every write under /cap is a control write: /cap is where effects outside the namespace live
 * (publishing, HTTP, sockets), so a list of known control files would fail open for the next one.
 */
export const isControlPath = (path: string) => isUnder(path, CONTROL_PREFIX)

export function accessFor(request: FsRequest): Access {
  const paths = request.op === 'rename' ? [request.path, request.to] : [request.path]
  const ownerOnly = paths.some((p) => isUnder(p, AUDIT_PATH))
  if (request.op === 'unwatch') return { right: null, paths, ownerOnly: false }
  if (READS.has(request.op)) return { right: 'r', paths, ownerOnly }
  return { right: paths.some(isControlPath) ? 'x' : 'w', paths, ownerOnly }
}
