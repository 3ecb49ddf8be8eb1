/** MapFs and the read-only view: immutable files from a map, and any service made unwritable. */
import { FsError } from '../../fs/error'
import { normalizePath } from '../../fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags, WatchOptions } from '../../fs/types'
import { MemFs } from '../mem'

/** `service` with every change refused as `read-only`; what a read-only mount is. */
export class ReadOnlyFs implements FileService {
  constructor(private readonly inner: FileService) {}

  private refuse(path: string): never {
    throw new FsError('read-only', 'read-only file system', normalizePath(path))
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    if (flags.write || flags.create || flags.truncate || flags.append) this.refuse(path)
    return this.inner.open(path, flags)
  }

  readdir(path: string): Promise<DirEntry[]> {
    return this.inner.readdir(path)
  }

  async stat(path: string): Promise<Metadata> {
    return { ...(await this.inner.stat(path)), readonly: true }
  }

  async mkdir(path: string): Promise<void> {
    this.refuse(path)
  }

  async remove(path: string): Promise<void> {
    this.refuse(path)
  }

  async rename(from: string, _to: string): Promise<void> {
    this.refuse(from)
  }

  watch(path: string, onChange: (change: Change) => void, options?: WatchOptions): () => void {
    if (!this.inner.watch) throw new FsError('permission-denied', 'this service cannot be watched', path)
    return this.inner.watch(path, onChange, options)
  }
}

/** Immutable files given as a map of paths to contents: the untrusted agent's base workspace. */
export class MapFs extends ReadOnlyFs {
  constructor(files: Record<string, string | Uint8Array>) {
    super(MemFs.from(files))
  }
}
