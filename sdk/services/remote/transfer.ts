/**
 * Moving a file's bytes over the bridge: reads by byte range, writes inline when they fit in an
 * event and through the blob store when not, and the handle that publishes its writes on flush,
 * conditional on the etag it read when the write depends on what it read.
 */
import { FsError } from '../../fs/error'
import { concatBytes } from '../../fs/handle'
import { base64ToBytes, bytesToBase64 } from '../../fs/io'
import type { FileHandle, OpenFlags } from '../../fs/types'
import { RangedHandle, type Commit, type RangedBackend } from '../edge/ranged-handle'
import type { BlobStore } from './blobs'
import { decode, INLINE_MAX, readOf, writeOf, type Op, type Result } from './protocol'

export interface Transfer {
  call(op: Op, path: string, args: Record<string, unknown>): Promise<Result>
  blobs: BlobStore | null
  /** Raw bytes of data per event. */
  inlineMax: number
}

/** Bytes asked for per read when the blob store carries them. */
const BLOB_READ = 4 * 1024 * 1024

/** Bytes [offset, offset + length) of the file (fewer at its end), the etag they have, and whether the file ends there. */
export async function readRange(t: Transfer, path: string, offset: number, length: number): Promise<{ bytes: Uint8Array; etag?: string; eof: boolean }> {
  const parts: Uint8Array[] = []
  let got = 0
  let etag: string | undefined
  let eof = false
  while (got < length && !eof) {
    const left = length - got
    // The bridge answers with a blob only past INLINE_MAX; below, a count above inlineMax would come inline.
    const count = t.blobs && left > INLINE_MAX ? Math.min(left, BLOB_READ) : Math.min(left, t.inlineMax)
    const r = decode('read', await t.call('read', path, { offset: offset + got, count }), readOf, path)
    let bytes: Uint8Array
    if ('blob' in r.data) {
      if (!t.blobs) throw new FsError('io', 'the bridge answered with a blob and no blob store is configured', path)
      bytes = await t.blobs.download(r.data.blob, path)
    } else {
      bytes = base64ToBytes(r.data.data_b64)
    }
    parts.push(bytes)
    got += bytes.length
    etag = r.etag
    eof = r.eof || bytes.length === 0
  }
  return { bytes: concatBytes(parts), etag, eof }
}

/** One write: the body inline when it fits in an event, else through the blob store. */
export async function writeBody(t: Transfer, path: string, body: Uint8Array, args: Record<string, unknown>): Promise<{ size: number; etag: string }> {
  let data: Record<string, unknown>
  if (body.length <= t.inlineMax) {
    data = { data_b64: bytesToBase64(body) }
  } else {
    if (!t.blobs) throw new FsError('too-large', `${body.length} bytes do not fit in an event and no blob store is configured`, path)
    // The bridge takes the body from its own store, by hash: a URL is not part of a write.
    const { x, size } = await t.blobs.upload(body, path)
    data = { blob: { x, size } }
  }
  return decode('write result', await t.call('write', path, { ...data, ...args }), writeOf, path)
}

export interface Opened {
  size: number
  /** The etag the file had when opened, if known. */
  version?: string
  /** The whole file, already read by a read-only open. */
  prefetched?: Uint8Array
}

/** A handle on a file of the bridge's; no state is kept there between requests. */
export function remoteHandle(t: Transfer, path: string, flags: OpenFlags, opened: Opened): FileHandle {
  const { prefetched } = opened
  let version = opened.version
  /** Whether the handle read the file since its last write: then its next write depends on what it read. */
  let readSince = false
  const backend: RangedBackend = {
    readBase: async (offset, length) => {
      if (prefetched && offset + length <= prefetched.length) return prefetched.slice(offset, offset + length)
      const { bytes, etag } = await readRange(t, path, offset, length)
      version = etag ?? version
      readSince = true
      return bytes
    },
    commit: async ({ extents, length, truncated }: Commit) => {
      // One write of the span the extents cover; gaps between them come from the file.
      const start = truncated ? 0 : extents.start()
      const end = truncated ? length : extents.end()
      const body = new Uint8Array(end - start)
      const filled = !truncated && !extents.covers(start, end)
      if (filled) body.set(await backend.readBase(start, end - start))
      extents.overlay(start, body)
      const ifMatch = (filled || readSince) && version !== undefined ? { if_match: version } : {}
      const result = await writeBody(t, path, body, { offset: start, ...(truncated ? { truncate: true } : {}), ...ifMatch })
      version = result.etag
      readSince = false
      return result.size
    },
    append: async (data) => {
      const result = await writeBody(t, path, data, { append: true })
      version = result.etag
      return result.size
    },
  }
  return new RangedHandle(backend, flags, path, opened.size)
}
