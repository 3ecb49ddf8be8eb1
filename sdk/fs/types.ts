/**
 * The file-service contract every mount implements. It follows OANIX's FileService, made
 * asynchronous because at the edge every operation may cross the network.
 */

export type EntryKind = 'file' | 'dir'

/** How a file is opened. Absent flags are false; a handle with neither read nor write may only stat. */
export interface OpenFlags {
  read?: boolean
  write?: boolean
  /** Create the file when missing. */
  create?: boolean
  /** Start from empty content. */
  truncate?: boolean
  /** Every write goes to the end of the file as it is when flushed. */
  append?: boolean
  /** With `create`: fail with `exists` when the file is already there. */
  exclusive?: boolean
}

export interface DirEntry {
  name: string
  kind: EntryKind
  size: number
}

export interface Metadata {
  kind: EntryKind
  size: number
  /** Unix seconds of the last change, as OANIX has it. */
  modified: number
  /** Changes whenever the content changes; compared by conditional writes (an etag). */
  version: string
  readonly: boolean
}

/**
 * An open file. Writes are buffered in the handle and take effect on `flush()` (or `close()`),
 * as in OANIX: a reader never sees half of a write.
 */
export interface FileHandle {
  /** Up to `size` bytes from the current position (all that remains when omitted); empty at the end. */
  read(size?: number): Promise<Uint8Array>
  /** Writes at the current position (or the end, in append mode); returns the bytes taken. */
  write(data: Uint8Array | string): Promise<number>
  seek(position: number): Promise<void>
  position(): number
  flush(): Promise<void>
  close(): Promise<void>
}

export type ChangeType = 'create' | 'modify' | 'delete' | 'rename'

export interface Change {
  type: ChangeType
  /** Path inside the service (or namespace) that was watched. */
  path: string
  /** For `rename`, where it went. */
  to?: string
  size?: number
  version?: string
}

export interface WatchOptions {
  recursive?: boolean
}

export interface FileService {
  open(path: string, flags: OpenFlags): Promise<FileHandle>
  readdir(path: string): Promise<DirEntry[]>
  stat(path: string): Promise<Metadata>
  mkdir(path: string): Promise<void>
  /** Removes a file or an empty directory; `recursive` removes a directory with its contents. */
  remove(path: string, options?: { recursive?: boolean }): Promise<void>
  rename(from: string, to: string): Promise<void>
  /** Change notifications for a path; services that cannot watch leave this out. Returns the unsubscribe. */
  watch?(path: string, onChange: (change: Change) => void, options?: WatchOptions): () => void
}
