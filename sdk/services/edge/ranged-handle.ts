/**
 * A handle for files that live elsewhere and can be read by byte range (an HTTP API, an R2
 * object): reads fetch only the range asked for, so seeking is cheap; writes are held as extents
 * and published together on flush, so a reader never sees half of a write.
 */
import { FsError } from '../../fs/error'
import { concatBytes, CursorHandle } from '../../fs/handle'
import type { FileHandle, OpenFlags } from '../../fs/types'
import { Extents } from './extents'

/** What a handle publishes on flush: the base, emptied when truncated, with the extents laid over. */
export interface Commit {
  extents: Extents
  /** The file's length after the commit. */
  length: number
  truncated: boolean
}

export interface RangedBackend {
  /** Bytes [offset, offset + length) of the content as of open or the last flush (fewer at its end). */
  readBase(offset: number, length: number): Promise<Uint8Array>
  /** Publishes a commit; returns the new size. */
  commit(change: Commit): Promise<number>
  /** Appends to the content as it is now; returns the new size. */
  append(data: Uint8Array): Promise<number>
  /** Called after each write; a backend may move complete leading extents out early (R2 parts). */
  afterWrite?(extents: Extents): Promise<void>
  /** Bytes already moved out by `afterWrite` and not yet published; they cannot be read or rewritten. */
  sealed?(): number
  /** Drops an unfinished upload (and what `afterWrite` moved into it) after a failed commit. */
  discard?(): Promise<void>
}

export class RangedHandle extends CursorHandle implements FileHandle {
  private readonly extents = new Extents()
  private appended: Uint8Array[] = []
  private truncated: boolean
  private baseSize: number

  constructor(
    private readonly backend: RangedBackend,
    flags: OpenFlags,
    path: string,
    size: number,
  ) {
    super(flags, path)
    this.truncated = flags.truncate === true
    this.baseSize = this.truncated ? 0 : size
  }

  private sealed(): number {
    return this.backend.sealed?.() ?? 0
  }

  private length(): number {
    return Math.max(this.baseSize, this.extents.end(), this.sealed())
  }

  private refuseSealed(start: number): void {
    if (start < this.sealed()) throw new FsError('conflict', 'bytes already uploaded in parts cannot be read or rewritten before flush', this.path)
  }

  async read(size?: number): Promise<Uint8Array> {
    this.check('read')
    const length = this.length()
    const start = Math.min(this.cursor, length)
    const end = size === undefined ? length : Math.min(length, start + size)
    if (start >= end) return new Uint8Array(0)
    this.refuseSealed(start)
    const out = new Uint8Array(end - start)
    const baseEnd = Math.min(end, this.baseSize)
    if (start < baseEnd && !this.extents.covers(start, baseEnd)) out.set(await this.backend.readBase(start, baseEnd - start))
    this.extents.overlay(start, out)
    this.cursor = end
    return out
  }

  async write(data: Uint8Array | string): Promise<number> {
    const bytes = this.writable(data)
    if (this.flags.append) {
      this.appended.push(bytes)
      return bytes.length
    }
    this.refuseSealed(this.cursor)
    this.extents.write(this.cursor, bytes)
    this.cursor += bytes.length
    await this.backend.afterWrite?.(this.extents)
    return bytes.length
  }

  async flush(): Promise<void> {
    if (this.closed) return
    if (this.truncated || !this.extents.isEmpty() || this.sealed() > 0) {
      const streamed = this.sealed() > 0
      try {
        this.baseSize = await this.backend.commit({ extents: this.extents, length: this.length(), truncated: this.truncated })
      } catch (error) {
        // The failed upload is dropped, and with it what went in parts early; the rest stays for a retry.
        await this.backend.discard?.()
        if (streamed) this.extents.clear()
        throw error
      }
      this.extents.clear()
      this.truncated = false
    }
    if (this.appended.length > 0) {
      const data = concatBytes(this.appended)
      this.appended = []
      this.baseSize = await this.backend.append(data)
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    try {
      await this.flush()
    } finally {
      this.closed = true
    }
  }
}
