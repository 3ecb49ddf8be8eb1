/**
 * Namespace: the agent's whole file tree, built once from mounts and immutable afterwards, so no
 * capability can be gained at run time. Paths resolve to the longest mount prefix at a `/`
 * boundary; read-only mounts refuse every change with `read-only`; unmounted paths are `not-found`.
 */
import { FsError } from '../fs/error'
import { isUnder, normalizePath, relativeTo, segments } from '../fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags, WatchOptions } from '../fs/types'
import { ReadOnlyFs } from '../services/map'

export type MountMode = 'ro' | 'rw'

export interface Mount {
  path: string
  mode: MountMode
  service: FileService
}

export interface Resolved {
  mount: Mount
  /** The path inside the mount's service. */
  inner: string
}

export class NamespaceBuilder {
  private readonly mounts: Mount[] = []

  mount(path: string, service: FileService, options: { mode?: MountMode } = {}): this {
    path = normalizePath(path)
    if (this.mounts.some((m) => m.path === path)) throw new FsError('exists', 'already mounted', path)
    const mode = options.mode ?? 'rw'
    this.mounts.push({ path, mode, service: mode === 'ro' ? new ReadOnlyFs(service) : service })
    return this
  }

  build(): Namespace {
    return new Namespace(this.mounts)
  }
}

const MOUNT_POINT: Metadata = { kind: 'dir', size: 0, modified: 0, version: '0', readonly: true }

export class Namespace implements FileService {
  private readonly table: readonly Mount[]

  static builder(): NamespaceBuilder {
    return new NamespaceBuilder()
  }

  constructor(mounts: Mount[]) {
    // Longest first, so the first match is the longest prefix.
    this.table = Object.freeze([...mounts].sort((a, b) => b.path.length - a.path.length))
  }

  mounts(): readonly Mount[] {
    return this.table
  }

  /** The mount serving `path` and the path inside it; `not-found` when nothing is mounted there. */
  resolve(path: string): Resolved {
    path = normalizePath(path)
    const mount = this.table.find((m) => isUnder(path, m.path))
    if (!mount) throw new FsError('not-found', 'nothing is mounted here', path)
    return { mount, inner: relativeTo(path, mount.path) }
  }

  /** Names of mount points directly below `path` that are not inside a mount serving it. */
  private mountPointsBelow(path: string): string[] {
    const depth = segments(path).length
    const names = new Set<string>()
    for (const m of this.table) if (m.path !== path && isUnder(m.path, path)) names.add(segments(m.path)[depth])
    return [...names]
  }

  private tryResolve(path: string): Resolved | undefined {
    try {
      return this.resolve(path)
    } catch (error) {
      if (FsError.is(error, 'not-found')) return undefined
      throw error
    }
  }

  private async withPath<T>(path: string, run: (r: Resolved) => Promise<T>): Promise<T> {
    try {
      return await run(this.resolve(path))
    } catch (error) {
      // Errors name the path the caller used, not the service's inner path.
      if (error instanceof FsError && error.path !== undefined) throw new FsError(error.code, error.detail, normalizePath(path))
      throw error
    }
  }

  open(path: string, flags: OpenFlags): Promise<FileHandle> {
    return this.withPath(path, ({ mount, inner }) => mount.service.open(inner, flags))
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const below = this.mountPointsBelow(path)
    const resolved = this.tryResolve(path)
    if (!resolved && below.length === 0) throw new FsError('not-found', 'nothing is mounted here', path)
    const entries = new Map<string, DirEntry>()
    if (resolved) for (const e of await this.withPath(path, (r) => r.mount.service.readdir(r.inner))) entries.set(e.name, e)
    for (const name of below) entries.set(name, { name, kind: 'dir', size: 0 })
    return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    if (this.tryResolve(path)) return this.withPath(path, (r) => r.mount.service.stat(r.inner))
    if (this.mountPointsBelow(path).length > 0) return MOUNT_POINT
    throw new FsError('not-found', 'nothing is mounted here', path)
  }

  mkdir(path: string): Promise<void> {
    return this.withPath(path, ({ mount, inner }) => mount.service.mkdir(inner))
  }

  remove(path: string, options?: { recursive?: boolean }): Promise<void> {
    return this.withPath(path, ({ mount, inner }) => {
      if (inner === '/') throw new FsError('permission-denied', 'a mount point cannot be removed', path)
      return mount.service.remove(inner, options)
    })
  }

  async rename(from: string, to: string): Promise<void> {
    const source = this.resolve(from)
    const target = this.resolve(to)
    if (source.mount !== target.mount) throw new FsError('invalid-path', 'cannot rename across mounts', normalizePath(to))
    if (source.inner === '/') throw new FsError('permission-denied', 'a mount point cannot be moved', normalizePath(from))
    return this.withPath(from, ({ mount }) => mount.service.rename(source.inner, target.inner))
  }

  /** Watches `path` in its mount and, when recursive, every mount below it; change paths are namespace paths. */
  watch(path: string, onChange: (change: Change) => void, options: WatchOptions = {}): () => void {
    path = normalizePath(path)
    const targets: Resolved[] = []
    const resolved = this.tryResolve(path)
    if (resolved) targets.push(resolved)
    if (options.recursive) {
      for (const m of this.table) if (m.path !== path && isUnder(m.path, path) && m !== resolved?.mount) targets.push({ mount: m, inner: '/' })
    }
    if (targets.length === 0) throw new FsError('not-found', 'nothing is mounted here', path)
    const stops = targets.map(({ mount, inner }) => {
      if (!mount.service.watch) throw new FsError('permission-denied', 'this mount cannot be watched', mount.path)
      const outer = (p: string) => (p === '/' ? mount.path : mount.path === '/' ? p : mount.path + p)
      return mount.service.watch(inner, (c) => onChange({ ...c, path: outer(c.path), ...(c.to ? { to: outer(c.to) } : {}) }), options)
    })
    return () => stops.forEach((stop) => stop())
  }
}
