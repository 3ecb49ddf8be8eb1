/**
 * FuncFs: a tree of computed files and control files, as OANIX's FuncFs. Services whose files
 * are views of live state (task status, NostrFs, WsFs, HttpFs) describe their tree with
 * `dir()` and `file()` and get the FileService rules from here.
 */
import { FsError } from '../../fs/error'
import { BufferedHandle } from '../../fs/handle'
import { toBytes } from '../../fs/io'
import { normalizePath, segments } from '../../fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags, WatchOptions } from '../../fs/types'
import { Watchers } from '../../fs/watchers'

type Awaitable<T> = T | Promise<T>

export interface FuncFile {
  kind: 'file'
  /** Current content; absent for write-only files (they read as empty). */
  read?: () => Awaitable<Uint8Array | string>
  /** Called on flush with what the handle wrote; absent for read-only files. */
  write?: (data: Uint8Array) => Awaitable<void>
  /** Removing the file; absent when it cannot be removed. */
  remove?: () => Awaitable<void>
}

export interface FuncDir {
  kind: 'dir'
  /** The children, computed when asked. */
  entries: () => Awaitable<Entries>
  /** Looks one child up without listing all (for large directories); defaults to `entries`. */
  child?: (name: string) => Awaitable<FuncNode | undefined>
}

export type FuncNode = FuncFile | FuncDir

export function file(read?: FuncFile['read'], write?: FuncFile['write'], remove?: FuncFile['remove']): FuncFile {
  return { kind: 'file', read, write, remove }
}

/** A read-only file holding `value()` as pretty-printed JSON. */
export function jsonFile(value: () => Awaitable<unknown>): FuncFile {
  return file(async () => JSON.stringify(await value(), null, 2))
}

type Entries = Map<string, FuncNode> | Record<string, FuncNode>

/** A directory of fixed `entries`, or of entries computed when asked. */
export function dir(entries: Entries | (() => Awaitable<Entries>), child?: FuncDir['child']): FuncDir {
  return { kind: 'dir', entries: typeof entries === 'function' ? entries : () => entries, child }
}

/** A cheap content version (FNV-1a) for computed files, which keep no history. */
function versionOf(bytes: Uint8Array): string {
  let hash = 0x811c9dc5
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193)
  return (hash >>> 0).toString(16)
}

export class FuncFs implements FileService {
  private readonly watchers = new Watchers()

  constructor(private readonly root: FuncDir) {}

  /** Services call this when their state changes, so watchers of the namespace hear it. */
  notify(change: Change): void {
    this.watchers.emit(change)
  }

  private async childOf(node: FuncDir, name: string): Promise<FuncNode | undefined> {
    if (node.child) return node.child(name)
    const entries = await node.entries()
    return entries instanceof Map ? entries.get(name) : Object.hasOwn(entries, name) ? entries[name] : undefined
  }

  private async lookup(path: string): Promise<FuncNode> {
    let node: FuncNode = this.root
    for (const name of segments(path)) {
      if (node.kind !== 'dir') throw new FsError('not-a-directory', 'a parent is a file', path)
      const next: FuncNode | undefined = await this.childOf(node, name)
      if (!next) throw new FsError('not-found', 'no such file or directory', path)
      node = next
    }
    return node
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    const node = await this.lookup(path).catch((error) => {
      if (FsError.is(error, 'not-found') && flags.create) throw new FsError('permission-denied', 'files cannot be created here', path)
      throw error
    })
    if (node.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
    if (flags.create && flags.exclusive) throw new FsError('exists', 'file exists', path)
    if ((flags.write || flags.append || flags.truncate) && !node.write) throw new FsError('permission-denied', 'file is not writable', path)
    if (flags.read && !node.read && !node.write) throw new FsError('permission-denied', 'file is not readable', path)
    const read = async () => (node.read && flags.read ? toBytes(await node.read()) : new Uint8Array(0))
    // A handle opened only to write starts empty: a control file takes one message per flush.
    return new BufferedHandle({ load: read, store: async (data) => node.write!(data), append: async (data) => node.write!(data), messages: true }, flags, path)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const node = await this.lookup(path)
    if (node.kind !== 'dir') throw new FsError('not-a-directory', 'not a directory', path)
    const entries = await node.entries()
    const list = entries instanceof Map ? [...entries] : Object.entries(entries)
    const out: DirEntry[] = []
    for (const [name, child] of list) {
      out.push({ name, kind: child.kind, size: child.kind === 'file' ? await sizeOf(child) : 0 })
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    const node = await this.lookup(path)
    const modified = Math.floor(Date.now() / 1000)
    if (node.kind === 'dir') return { kind: 'dir', size: 0, modified, version: '0', readonly: true }
    const bytes = node.read ? toBytes(await node.read()) : new Uint8Array(0)
    return { kind: 'file', size: bytes.length, modified, version: versionOf(bytes), readonly: !node.write }
  }

  async mkdir(path: string): Promise<void> {
    throw new FsError('permission-denied', 'directories cannot be made here', normalizePath(path))
  }

  async remove(path: string): Promise<void> {
    path = normalizePath(path)
    const node = await this.lookup(path)
    if (node.kind === 'dir' || !node.remove) throw new FsError('permission-denied', 'cannot be removed', path)
    await node.remove()
    this.notify({ type: 'delete', path })
  }

  async rename(from: string, _to: string): Promise<void> {
    throw new FsError('permission-denied', 'files cannot be renamed here', normalizePath(from))
  }

  watch(path: string, onChange: (change: Change) => void, options?: WatchOptions): () => void {
    return this.watchers.add(normalizePath(path), onChange, options)
  }
}

async function sizeOf(node: FuncFile): Promise<number> {
  return node.read ? toBytes(await node.read()).length : 0
}
