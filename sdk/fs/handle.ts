/**
 * The handle most services share: a private copy of the file that reads and writes work on,
 * published to the service on flush. Services supply how to load, replace and append.
 */
import { FsError } from './error'
import { toBytes } from './io'
import type { FileHandle, OpenFlags } from './types'

export interface HandleBackend {
  /** The file's current content. Called at most once, the first time the handle needs it. */
  load(): Promise<Uint8Array>
  /** Replaces the content with what the handle holds. */
  store(content: Uint8Array): Promise<void>
  /** Appends to the content as it is now; without it, appends load, concatenate and store. */
  append?(data: Uint8Array): Promise<void>
  /**
   * Each flush hands over only what was written since the previous one, and the handle starts
   * again from empty: control files take one message per flush.
   */
  messages?: boolean
}

/**
 * What handles with a cursor share: refusing to be used once closed, or to read or write when not
 * opened for it, and seeking. Subclasses set `closed` when they close.
 */
export abstract class CursorHandle {
  protected closed = false
  protected cursor = 0

  constructor(
    protected readonly flags: OpenFlags,
    protected readonly path: string,
  ) {}

  protected check(access: 'read' | 'write'): void {
    if (this.closed) throw new FsError('io', 'handle is closed', this.path)
    const allowed = access === 'read' ? this.flags.read : this.flags.write || this.flags.append
    if (!allowed) throw new FsError('permission-denied', `not opened for ${access === 'read' ? 'reading' : 'writing'}`, this.path)
  }

  /** The bytes of a write, once the handle may take one. */
  protected writable(data: Uint8Array | string): Uint8Array {
    this.check('write')
    return toBytes(data)
  }

  async seek(position: number): Promise<void> {
    if (this.closed) throw new FsError('io', 'handle is closed', this.path)
    if (!Number.isSafeInteger(position) || position < 0) throw new FsError('invalid-argument', `invalid seek position ${position}`, this.path)
    this.cursor = position
  }

  position(): number {
    return this.cursor
  }
}

/** A byte buffer that grows by doubling, so many small writes stay linear. */
class GrowableBytes {
  private buffer: Uint8Array
  length: number

  constructor(initial: Uint8Array) {
    this.buffer = initial
    this.length = initial.length
  }

  writeAt(position: number, data: Uint8Array): void {
    const end = position + data.length
    if (end > this.buffer.length) {
      const grown = new Uint8Array(Math.max(end, this.buffer.length * 2, 64))
      grown.set(this.buffer.subarray(0, this.length))
      this.buffer = grown
    }
    if (position > this.length) this.buffer.fill(0, this.length, position)
    this.buffer.set(data, position)
    this.length = Math.max(this.length, end)
  }

  view(): Uint8Array {
    return this.buffer.subarray(0, this.length)
  }
}

export class BufferedHandle extends CursorHandle implements FileHandle {
  private content?: GrowableBytes
  private pendingAppend: Uint8Array[] = []
  private dirty = false

  constructor(
    private readonly backend: HandleBackend,
    flags: OpenFlags,
    path: string,
  ) {
    super(flags, path)
    if (flags.truncate) {
      this.content = new GrowableBytes(new Uint8Array(0))
      this.dirty = true
    }
  }

  private async loaded(): Promise<GrowableBytes> {
    this.content ??= new GrowableBytes((await this.backend.load()).slice())
    return this.content
  }

  async read(size?: number): Promise<Uint8Array> {
    this.check('read')
    const bytes = (await this.loaded()).view()
    const end = size === undefined ? bytes.length : Math.min(bytes.length, this.cursor + size)
    const chunk = bytes.slice(Math.min(this.cursor, bytes.length), end)
    this.cursor += chunk.length
    return chunk
  }

  async write(data: Uint8Array | string): Promise<number> {
    const bytes = this.writable(data)
    if (this.flags.append) {
      this.pendingAppend.push(bytes)
    } else {
      ;(await this.loaded()).writeAt(this.cursor, bytes)
      this.cursor += bytes.length
      this.dirty = true
    }
    return bytes.length
  }

  async flush(): Promise<void> {
    if (this.closed) return
    if (this.dirty && this.content) {
      await this.backend.store(this.content.view().slice())
      this.dirty = false
      if (this.backend.messages) {
        this.content = new GrowableBytes(new Uint8Array(0))
        this.cursor = 0
      }
    }
    if (this.pendingAppend.length > 0) {
      const data = concatBytes(this.pendingAppend)
      this.pendingAppend = []
      if (this.backend.append) await this.backend.append(data)
      else await this.backend.store(concatBytes([await this.backend.load(), data]))
    }
  }

  async close(): Promise<void> {
    await this.flush()
    this.closed = true
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
