/**
 * A service that cannot watch (one reached over HTTP or RPC), made watchable for the changes
 * made through it. Behind the bridge those are the changes its callers make; changes made by
 * other paths go unheard, as PROTOCOL.md says. Costs nothing while nobody watches.
 */
import { normalizePath } from '../../sdk/fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags, WatchOptions } from '../../sdk/fs/types'
import { Watchers } from '../../sdk/fs/watchers'

export class NotifyingFs implements FileService {
  private readonly watchers = new Watchers()

  private constructor(private readonly inner: FileService) {}

  /** `service` itself when it watches natively, else wrapped. */
  static wrap(service: FileService): FileService {
    return service.watch ? service : new NotifyingFs(service)
  }

  private get watched(): boolean {
    return this.watchers.size > 0
  }

  private async exists(path: string): Promise<boolean> {
    return this.inner.stat(path).then(() => true, () => false)
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    const writing = Boolean(flags.write || flags.append || flags.truncate)
    if (!this.watched || !writing) return this.inner.open(path, flags)
    const existed = await this.exists(path)
    const handle = await this.inner.open(path, flags)
    if (!existed) this.watchers.emit({ type: 'create', path, size: 0 })
    let dirty = flags.truncate === true
    const published = async () => {
      if (!dirty) return
      dirty = false
      const meta = await this.inner.stat(path).catch(() => null)
      this.watchers.emit({ type: 'modify', path, ...(meta ? { size: meta.size, version: meta.version } : {}) })
    }
    return {
      read: (size) => handle.read(size),
      write: async (data) => {
        const n = await handle.write(data)
        dirty = true
        return n
      },
      seek: (position) => handle.seek(position),
      position: () => handle.position(),
      flush: async () => {
        await handle.flush()
        await published()
      },
      close: async () => {
        await handle.close()
        await published()
      },
    }
  }

  readdir(path: string): Promise<DirEntry[]> {
    return this.inner.readdir(path)
  }

  stat(path: string): Promise<Metadata> {
    return this.inner.stat(path)
  }

  async mkdir(path: string): Promise<void> {
    await this.inner.mkdir(path)
    this.watchers.emit({ type: 'create', path: normalizePath(path) })
  }

  async remove(path: string, options?: { recursive?: boolean }): Promise<void> {
    await this.inner.remove(path, options)
    this.watchers.emit({ type: 'delete', path: normalizePath(path) })
  }

  async rename(from: string, to: string): Promise<void> {
    await this.inner.rename(from, to)
    this.watchers.emit({ type: 'rename', path: normalizePath(from), to: normalizePath(to) })
  }

  watch(path: string, onChange: (change: Change) => void, options?: WatchOptions): () => void {
    return this.watchers.add(normalizePath(path), onChange, options)
  }
}
