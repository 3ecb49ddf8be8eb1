/**
 * Serves any FileService over the edge file API (sdk/services/edge/wire.ts), the server half of
 * EdgeFs. Durable Objects hand it their tree and the part of the URL after their base.
 */
import { FsError, toFsError } from '../../sdk/fs/error'
import { readFile } from '../../sdk/fs/io'
import type { FileService } from '../../sdk/fs/types'
import { decodePath, ERROR_STATUS, errorBody, parseRange, parseWriteQuery, sizeAfterWrite } from '../../sdk/services/edge/wire'

export interface FileApiOptions {
  /** Whether files can be read by byte range; computed files (pop-on-read queues) cannot. */
  ranges: boolean
  /** Called before a write or mkdir with the entry's size after it (null: a directory); throws to refuse. */
  admit?(path: string, size: (current: number) => number | null): Promise<void>
}

const json = (value: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(value), { headers: { 'Content-Type': 'application/json', ...headers } })

export function errorResponse(error: unknown): Response {
  const fsError = toFsError(error)
  return new Response(JSON.stringify(errorBody(fsError)), { status: ERROR_STATUS[fsError.code], headers: { 'Content-Type': 'application/json' } })
}

function param(url: URL, name: string): string {
  const value = url.searchParams.get(name)
  if (value === null) throw new FsError('invalid-path', `missing ${name} parameter`)
  return value
}

/** `route` is the request's path after the API's base, without a leading slash (`read/a/b`, `stat`). */
export async function serveFileApi(fs: FileService, request: Request, route: string, options: FileApiOptions): Promise<Response> {
  try {
    return await dispatch(fs, request, route, options)
  } catch (error) {
    return errorResponse(error)
  }
}

async function dispatch(fs: FileService, request: Request, route: string, options: FileApiOptions): Promise<Response> {
  const url = new URL(request.url)
  const method = request.method
  const acceptRanges = { 'Accept-Ranges': options.ranges ? 'bytes' : 'none' }
  const [op] = route.split('/', 1)
  const want = (expected: string) => {
    if (method !== expected && !(expected === 'GET' && method === 'HEAD')) throw new FsError('permission-denied', `${op} takes ${expected}, not ${method}`)
  }
  switch (op) {
    case 'read':
      want('GET')
      return read(fs, request, decodePath(route.slice('read/'.length)), options)
    case 'write': {
      want('PUT')
      const path = decodePath(route.slice('write/'.length))
      const result = await write(fs, path, request, url, options)
      return json(result, acceptRanges)
    }
    case 'readdir':
      want('GET')
      return json(await fs.readdir(param(url, 'path')))
    case 'stat':
      want('GET')
      return json(await fs.stat(param(url, 'path')), acceptRanges)
    case 'mkdir': {
      want('POST')
      const path = param(url, 'path')
      await options.admit?.(path, () => null)
      await fs.mkdir(path)
      return json({})
    }
    case 'remove':
      want('POST')
      await fs.remove(param(url, 'path'), { recursive: url.searchParams.get('recursive') === '1' })
      return json({})
    case 'rename':
      want('POST')
      await fs.rename(param(url, 'from'), param(url, 'to'))
      return json({})
    default:
      throw new FsError('invalid-argument', `no such operation: ${op || '(none)'}`)
  }
}

async function read(fs: FileService, request: Request, path: string, options: FileApiOptions): Promise<Response> {
  if (request.method === 'HEAD') {
    // From stat: reading a computed file may take from it (`in` queues).
    const meta = await fs.stat(path)
    if (meta.kind === 'dir') throw new FsError('is-a-directory', 'cannot read a directory', path)
    return new Response(null, { headers: { 'Content-Length': String(meta.size), 'Accept-Ranges': options.ranges ? 'bytes' : 'none' } })
  }
  if (!options.ranges) {
    return new Response(await readFile(fs, path), { headers: { 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'none' } })
  }
  const meta = await fs.stat(path)
  if (meta.kind === 'dir') throw new FsError('is-a-directory', 'cannot read a directory', path)
  const headers = { 'Content-Type': 'application/octet-stream', 'Accept-Ranges': 'bytes', ETag: JSON.stringify(meta.version) }
  const range = parseRange(request.headers.get('Range'))
  if (!range) return new Response(await readFile(fs, path), { headers })
  if (range.start >= meta.size) return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${meta.size}` } })
  const end = Math.min(range.end ?? meta.size - 1, meta.size - 1)
  const handle = await fs.open(path, { read: true })
  try {
    await handle.seek(range.start)
    const bytes = await handle.read(end - range.start + 1)
    return new Response(bytes, { status: 206, headers: { ...headers, 'Content-Range': `bytes ${range.start}-${range.start + bytes.length - 1}/${meta.size}` } })
  } finally {
    await handle.close()
  }
}

async function write(fs: FileService, path: string, request: Request, url: URL, api: FileApiOptions): Promise<{ size: number; version: string }> {
  const options = parseWriteQuery(url.searchParams)
  const ifMatch = request.headers.get('If-Match')
  if (ifMatch !== null) {
    const current = await fs.stat(path).catch(() => undefined)
    if (!current || JSON.stringify(current.version) !== ifMatch) throw new FsError('conflict', 'the file changed', path)
  }
  const data = new Uint8Array(await request.arrayBuffer())
  await api.admit?.(path, (current) => sizeAfterWrite(current, options, data.length))
  const handle = await fs.open(path, { write: true, create: options.create, exclusive: options.exclusive, truncate: options.truncate, append: options.append })
  try {
    if (data.length > 0) {
      if (!options.append) await handle.seek(options.offset ?? 0)
      await handle.write(data)
    }
  } finally {
    await handle.close()
  }
  const meta = await fs.stat(path)
  return { size: meta.size, version: meta.version }
}
