/**
 * The file operations of the protocol, run on a namespace through the SDK's FileService
 * interface, so resolution and read-only rules are the same code locally and remotely.
 */
import { FsError } from '../../sdk/fs/error'
import { bytesToBase64 } from '../../sdk/fs/io'
import { joinPath, segments } from '../../sdk/fs/path'
import type { DirEntry } from '../../sdk/fs/types'
import type { Namespace } from '../../sdk/namespace'
import { INLINE_MAX, statResult, type Result } from '../../sdk/services/remote/protocol'
import { PAGE_BUDGET } from './protocol/limits'
import type { FsRequest, WriteBody } from './protocol/request'
import { page } from './protocol/response'

/** The blob store as the bridge uses it: bodies by sha256. */
export interface BlobPort {
  put(bytes: Uint8Array): Promise<{ x: string; size: number; url: string }>
  get(x: string): Promise<Uint8Array | null>
}

export type FileRequest = Exclude<FsRequest, { op: 'watch' | 'unwatch' }>

export async function runFileOp(ns: Namespace, request: FileRequest, blobs: BlobPort | null): Promise<Result> {
  const { path } = request
  switch (request.op) {
    case 'stat':
      return statResult(await ns.stat(path))
    case 'readdir':
      return page(await listing(ns, path), request.cursor, request.limit, PAGE_BUDGET)
    case 'read':
      return read(ns, path, request.offset, request.count, blobs)
    case 'write': {
      if (request.ifMatch !== undefined) {
        const meta = await ns.stat(path).catch((err) => {
          throw FsError.is(err, 'not-found') ? new FsError('conflict', 'if_match names a file that does not exist', path) : err
        })
        if (meta.version !== request.ifMatch) throw new FsError('conflict', `etag is ${meta.version}, not ${request.ifMatch}`, path)
      }
      const data = await bodyBytes(request.body, blobs, path)
      const { create, truncate, append, exclusive } = request
      const handle = await ns.open(path, { write: true, create, truncate, append, exclusive })
      if (request.offset !== undefined) await handle.seek(request.offset)
      if (data.length > 0) await handle.write(data)
      await handle.close()
      const meta = await ns.stat(path)
      return { size: meta.size, etag: meta.version }
    }
    case 'mkdir':
      await (request.parents ? mkdirParents(ns, path) : ns.mkdir(path))
      return {}
    case 'remove':
      await ns.remove(path, { recursive: request.recursive })
      return {}
    case 'rename':
      await ns.rename(path, request.to)
      return {}
  }
}

/** A directory's entries; mount points the namespace lists as directories are stat'ed for what they are. */
async function listing(ns: Namespace, path: string): Promise<DirEntry[]> {
  const mounted = new Set(ns.mounts().map((m) => m.path))
  const entries = await ns.readdir(path)
  return Promise.all(
    entries.map(async (e) => {
      const full = joinPath(path, e.name)
      if (!mounted.has(full)) return e
      const meta = await ns.stat(full).catch(() => null)
      return meta ? { name: e.name, kind: meta.kind, size: meta.size } : e
    }),
  )
}

async function read(ns: Namespace, path: string, offset: number, count: number | undefined, blobs: BlobPort | null): Promise<Result> {
  const meta = await ns.stat(path)
  if (meta.kind === 'dir') throw new FsError('is-a-directory', 'cannot read a directory', path)
  const handle = await ns.open(path, { read: true })
  try {
    await handle.seek(offset)
    const bytes = await handle.read(count)
    const eof = offset + bytes.length >= meta.size
    if (bytes.length <= INLINE_MAX) return { data_b64: bytesToBase64(bytes), eof, etag: meta.version }
    if (!blobs) throw new FsError('too-large', `${bytes.length} bytes do not fit in an event; read with count <= ${INLINE_MAX}`, path)
    return { blob: await blobs.put(bytes), eof, etag: meta.version }
  } finally {
    await handle.close()
  }
}

async function bodyBytes(body: WriteBody, blobs: BlobPort | null, path: string): Promise<Uint8Array> {
  if ('data' in body) return body.data
  if (!blobs) throw new FsError('too-large', 'this bridge has no blob store; send data inline', path)
  const bytes = await blobs.get(body.blob.x)
  if (!bytes) throw new FsError('not-found', `blob ${body.blob.x} is not in the blob store; upload it first`, path)
  if (bytes.length !== body.blob.size) throw new FsError('invalid-argument', `blob is ${bytes.length} bytes, not ${body.blob.size}`, path)
  return bytes
}

/** mkdir -p: every missing directory on the way; one that exists already is fine. */
async function mkdirParents(ns: Namespace, path: string): Promise<void> {
  let prefix = ''
  for (const name of segments(path)) {
    prefix += '/' + name
    try {
      await ns.mkdir(prefix)
    } catch (err) {
      const meta = await ns.stat(prefix).catch(() => null)
      if (meta?.kind !== 'dir') throw err
    }
  }
}
