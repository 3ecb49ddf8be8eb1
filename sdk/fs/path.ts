/**
 * Path rules shared by every service and the namespace: absolute, `/`-separated, no `.` or `..`
 * segments, no empty segments, no NUL. Anything else is `invalid-path`, never silently fixed
 * into a path the caller did not name (OANIX resolved `..` and so could escape a mount).
 */
import { FsError } from './error'

export const MAX_PATH_LENGTH = 4096
export const MAX_SEGMENT_LENGTH = 255

/** The canonical form of `path`: leading `/`, no trailing `/` (except the root itself). */
export function normalizePath(path: string): string {
  if (typeof path !== 'string' || !path.startsWith('/')) throw new FsError('invalid-path', 'path must be absolute', String(path))
  if (path.length > MAX_PATH_LENGTH) throw new FsError('invalid-path', 'path too long', path.slice(0, 64))
  if (path === '/') return '/'
  const body = path.endsWith('/') ? path.slice(1, -1) : path.slice(1)
  const segments = body.split('/')
  for (const segment of segments) checkSegment(segment, path)
  return '/' + segments.join('/')
}

function checkSegment(segment: string, path: string): void {
  if (segment === '') throw new FsError('invalid-path', 'empty path segment', path)
  if (segment === '.' || segment === '..') throw new FsError('invalid-path', `"${segment}" is not allowed`, path)
  if (segment.includes('\0')) throw new FsError('invalid-path', 'NUL in path', path)
  if (segment.length > MAX_SEGMENT_LENGTH) throw new FsError('invalid-path', 'path segment too long', path)
}

/** The segments of a normalised path; the root has none. */
export function segments(path: string): string[] {
  const normal = normalizePath(path)
  return normal === '/' ? [] : normal.slice(1).split('/')
}

export function joinPath(base: string, name: string): string {
  return base === '/' ? `/${name}` : `${base}/${name}`
}

export function parentOf(path: string): string {
  const normal = normalizePath(path)
  const cut = normal.lastIndexOf('/')
  return cut <= 0 ? '/' : normal.slice(0, cut)
}

export function baseName(path: string): string {
  const normal = normalizePath(path)
  return normal.slice(normal.lastIndexOf('/') + 1)
}

/** Whether `path` is `prefix` or lies under it, compared at a `/` boundary (`/task` is not under `/taskforce`). */
export function isUnder(path: string, prefix: string): boolean {
  if (prefix === '/') return true
  return path === prefix || path.startsWith(prefix + '/')
}

/** `path` relative to `prefix` (which it must lie under), as an absolute path inside the prefix. */
export function relativeTo(path: string, prefix: string): string {
  if (prefix === '/') return path
  return path === prefix ? '/' : path.slice(prefix.length)
}
