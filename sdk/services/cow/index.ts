/**
 * CowFs: a writable overlay over any base that never changes. Reads fall through to the base;
 * the first write copies a file up; removals leave whiteouts that hide the base's path and all
 * below it, so a directory removed and made again does not show its old contents.
 */
import { FsError } from '../../fs/error'
import { readFile } from '../../fs/io'
import { isUnder, joinPath, normalizePath, parentOf, segments } from '../../fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags, WatchOptions } from '../../fs/types'
import { MemFs } from '../mem'

const WRITES = (flags: OpenFlags) => Boolean(flags.write || flags.create || flags.truncate || flags.append)

export class CowFs implements FileService {
  private readonly whiteouts = new Set<string>()

  constructor(
    private readonly base: FileService,
    private readonly overlay: FileService = new MemFs(),
  ) {}

  /** Whether the base's entry at `path` is hidden by a whiteout on it or on a parent. */
  private hidden(path: string): boolean {
    if (this.whiteouts.size === 0) return false
    let current = ''
    for (const name of segments(path)) {
      current += '/' + name
      if (this.whiteouts.has(current)) return true
    }
    return false
  }

  private async statIn(fs: FileService, path: string): Promise<Metadata | undefined> {
    try {
      return await fs.stat(path)
    } catch (error) {
      if (FsError.is(error, 'not-found')) return undefined
      throw error
    }
  }

  private async inOverlay(path: string): Promise<Metadata | undefined> {
    return this.statIn(this.overlay, path)
  }

  private async inBase(path: string): Promise<Metadata | undefined> {
    return this.hidden(path) ? undefined : this.statIn(this.base, path)
  }

  private async merged(path: string): Promise<Metadata | undefined> {
    return (await this.inOverlay(path)) ?? (await this.inBase(path))
  }

  /** Makes the directories down to `dir` exist in the overlay when they exist in the merged view. */
  private async copyUpDirs(dir: string): Promise<void> {
    let current = '/'
    for (const name of segments(dir)) {
      current = joinPath(current, name)
      const here = await this.inOverlay(current)
      if (here) {
        if (here.kind !== 'dir') throw new FsError('not-a-directory', 'a parent is a file', dir)
        continue
      }
      const below = await this.inBase(current)
      if (!below) throw new FsError('not-found', 'no such directory', current)
      if (below.kind !== 'dir') throw new FsError('not-a-directory', 'a parent is a file', dir)
      await this.overlay.mkdir(current)
    }
  }

  /** Copies a file (or a directory, recursively) from the merged view into the overlay at `to`. */
  private async copyUp(from: string, to: string): Promise<void> {
    const meta = await this.merged(from)
    if (!meta) throw new FsError('not-found', 'no such file or directory', from)
    if (meta.kind === 'dir') {
      if (!(await this.inOverlay(to))) await this.overlay.mkdir(to)
      for (const entry of await this.readdir(from)) await this.copyUp(joinPath(from, entry.name), joinPath(to, entry.name))
      return
    }
    const data = await readFile((await this.inOverlay(from)) ? this.overlay : this.base, from)
    const handle = await this.overlay.open(to, { write: true, create: true, truncate: true })
    await handle.write(data)
    await handle.close()
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    if (!WRITES(flags)) return (await this.inOverlay(path)) ? this.overlay.open(path, flags) : this.openBase(path, flags)
    if (!(await this.inOverlay(path))) {
      const below = await this.inBase(path)
      if (below && flags.create && flags.exclusive) throw new FsError('exists', 'file exists', path)
      if (below?.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
      if (!below && !flags.create) throw new FsError('not-found', 'no such file', path)
      await this.copyUpDirs(parentOf(path))
      if (below && !flags.truncate) await this.copyUp(path, path)
    }
    return this.overlay.open(path, flags)
  }

  private openBase(path: string, flags: OpenFlags): Promise<FileHandle> {
    if (this.hidden(path)) throw new FsError('not-found', 'no such file', path)
    return this.base.open(path, flags)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const over = await this.inOverlay(path)
    const below = await this.inBase(path)
    if (!over && !below) throw new FsError('not-found', 'no such directory', path)
    if ((over ?? below)!.kind !== 'dir') throw new FsError('not-a-directory', 'not a directory', path)
    const entries = new Map<string, DirEntry>()
    if (below?.kind === 'dir') {
      for (const e of await this.base.readdir(path)) if (!this.whiteouts.has(joinPath(path, e.name))) entries.set(e.name, e)
    }
    if (over) for (const e of await this.overlay.readdir(path)) entries.set(e.name, e)
    return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    const meta = await this.merged(path)
    if (!meta) throw new FsError('not-found', 'no such file or directory', path)
    return meta
  }

  async mkdir(path: string): Promise<void> {
    path = normalizePath(path)
    if (await this.merged(path)) throw new FsError('exists', 'already exists', path)
    await this.copyUpDirs(parentOf(path))
    await this.overlay.mkdir(path)
  }

  async remove(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    path = normalizePath(path)
    if (path === '/') throw new FsError('permission-denied', 'the root cannot be removed', path)
    const meta = await this.merged(path)
    if (!meta) throw new FsError('not-found', 'no such file or directory', path)
    if (meta.kind === 'dir' && !options.recursive && (await this.readdir(path)).length > 0) {
      throw new FsError('not-empty', 'directory not empty', path)
    }
    if (await this.inOverlay(path)) await this.overlay.remove(path, { recursive: true })
    if (await this.statIn(this.base, path)) this.whiteouts.add(path)
  }

  async rename(from: string, to: string): Promise<void> {
    from = normalizePath(from)
    to = normalizePath(to)
    if (from === to) return void (await this.stat(from))
    if (isUnder(to, from)) throw new FsError('invalid-path', 'cannot move a directory into itself', to)
    const source = await this.stat(from)
    const target = await this.merged(to)
    if (target?.kind === 'dir' && source.kind === 'file') throw new FsError('is-a-directory', 'target is a directory', to)
    if (target?.kind === 'file' && source.kind === 'dir') throw new FsError('not-a-directory', 'target is a file', to)
    if (target?.kind === 'dir' && (await this.readdir(to)).length > 0) throw new FsError('not-empty', 'target directory not empty', to)
    await this.copyUpDirs(parentOf(to))
    if (target) await this.remove(to, { recursive: true })
    if (await this.inBase(from)) {
      await this.copyUp(from, to)
      await this.remove(from, { recursive: true })
    } else {
      await this.overlay.rename(from, to)
    }
  }

  /** Only the overlay changes (the base never does), so watching it sees every change. */
  watch(path: string, onChange: (change: Change) => void, options?: WatchOptions): () => void {
    if (!this.overlay.watch) throw new FsError('permission-denied', 'the overlay cannot be watched', path)
    return this.overlay.watch(path, onChange, options)
  }
}
