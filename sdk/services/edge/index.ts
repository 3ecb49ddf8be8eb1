/**
 * EdgeFs: a FileService over the edge file API (see ./wire.ts), as the seed's EdgeFs over its
 * FileServiceDO. It talks to the platform's Worker over HTTP with NIP-98 auth, or straight to a
 * Durable Object through its stub's fetch. Files read by byte range (seeks fetch only what is
 * read); computed files (the server answers `Accept-Ranges: none`) are read whole, once.
 */
import { FsError } from '../../fs/error'
import { BufferedHandle } from '../../fs/handle'
import { normalizePath } from '../../fs/path'
import type { DirEntry, FileHandle, FileService, Metadata, OpenFlags } from '../../fs/types'
import type { Signer } from '../../nostr/signer'
import { httpAuthHeader } from './nip98'
import { RangedHandle, type Commit, type RangedBackend } from './ranged-handle'
import { encodePath, errorFromResponse, writeQuery, type WriteOptions } from './wire'

export interface EdgeFsOptions {
  /** Signs a NIP-98 event per request; leave out where the endpoint needs none (a Durable Object stub). */
  signer?: Signer
  /** The fetch to use; a Durable Object stub's `fetch` talks to the object directly. Default: global fetch. */
  fetch?: (request: Request) => Promise<Response>
}

interface WriteResult {
  size: number
  version: string
}

export class EdgeFs implements FileService {
  private readonly base: string
  private readonly fetcher: (request: Request) => Promise<Response>

  /** `baseUrl` is where the API's routes start, e.g. `https://relay.example/files/<namespace>`. */
  constructor(
    baseUrl: string,
    private readonly options: EdgeFsOptions = {},
  ) {
    this.base = baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'
    this.fetcher = options.fetch ?? ((request) => fetch(request))
  }

  /** Sends one request; an error status becomes the FsError it stands for, unless `accept` takes it. */
  private async send(method: string, route: string, path: string, init: { body?: Uint8Array; headers?: Record<string, string> } = {}, accept: number[] = []): Promise<Response> {
    const url = new URL(route, this.base).href
    const headers = new Headers(init.headers)
    if (this.options.signer) headers.set('Authorization', await httpAuthHeader(this.options.signer, url, method, init.body))
    let res: Response
    try {
      res = await this.fetcher(new Request(url, { method, headers, body: init.body as BodyInit | undefined }))
    } catch (error) {
      throw new FsError('unavailable', error instanceof Error ? error.message : String(error), path)
    }
    if (!res.ok && !accept.includes(res.status)) throw await errorFromResponse(res, path)
    return res
  }

  private query(route: string, params: Record<string, string>): string {
    return `${route}?${new URLSearchParams(params)}`
  }

  /** A POST operation whose answer is only its status (the body is read so the connection is done). */
  private async call(route: string, params: Record<string, string>, path: string): Promise<void> {
    await (await this.send('POST', this.query(route, params), path)).arrayBuffer()
  }

  private async write(path: string, options: WriteOptions, body: Uint8Array, ifMatch?: string): Promise<WriteResult> {
    const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' }
    if (ifMatch !== undefined) headers['If-Match'] = JSON.stringify(ifMatch)
    const res = await this.send('PUT', `write/${encodePath(path)}${writeQuery(options)}`, path, { body, headers })
    return (await res.json()) as WriteResult
  }

  /** Bytes [offset, offset + length) of the file; fewer at its end. */
  private async readRange(path: string, offset: number, length: number): Promise<Uint8Array> {
    if (length <= 0) return new Uint8Array(0)
    const res = await this.send('GET', `read/${encodePath(path)}`, path, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } }, [416])
    if (res.status === 416) return new Uint8Array(0)
    const bytes = new Uint8Array(await res.arrayBuffer())
    // A server that ignores Range answers 200 with everything.
    return res.status === 200 ? bytes.slice(offset, offset + length) : bytes
  }

  private async readWhole(path: string): Promise<Uint8Array> {
    const res = await this.send('GET', `read/${encodePath(path)}`, path)
    return new Uint8Array(await res.arrayBuffer())
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    const stat = await this.send('GET', this.query('stat', { path }), path, {}, [404])
    let size: number
    let version: string
    let ranged: boolean
    if (stat.status === 404) {
      const missing = await errorFromResponse(stat, path)
      if (!flags.create || missing.code !== 'not-found') throw missing
      const created = await this.write(path, { create: true, exclusive: true }, new Uint8Array(0)).catch((error) => {
        // Someone else created it in between: fine unless the caller asked for a new file.
        if (FsError.is(error, 'exists') && !flags.exclusive) return undefined
        throw error
      })
      const meta = created ?? (await this.stat(path))
      ;({ size, version } = meta)
      ranged = true
    } else {
      const meta = (await stat.json()) as Metadata
      if (flags.create && flags.exclusive) throw new FsError('exists', 'file exists', path)
      if (meta.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
      ;({ size, version } = meta)
      ranged = stat.headers.get('Accept-Ranges') !== 'none'
    }
    if (!ranged) {
      return new BufferedHandle(
        {
          // A handle opened only to write starts empty: a control file takes what is written.
          load: async () => (flags.read ? this.readWhole(path) : new Uint8Array(0)),
          store: async (content) => void (await this.write(path, { truncate: true }, content)),
          append: async (data) => void (await this.write(path, { append: true }, data)),
        },
        flags,
        path,
      )
    }
    const backend: RangedBackend = {
      readBase: (offset, length) => this.readRange(path, offset, length),
      commit: async ({ extents, length, truncated }: Commit) => {
        // One PUT of the span the extents cover; gaps between them come from the file, and then
        // If-Match makes sure those bytes were still the file's.
        const start = truncated ? 0 : extents.start()
        const end = truncated ? length : extents.end()
        const body = new Uint8Array(end - start)
        const filled = !truncated && !extents.covers(start, end)
        if (filled) body.set(await this.readRange(path, start, end - start))
        extents.overlay(start, body)
        const result = await this.write(path, { offset: start, truncate: truncated }, body, filled ? version : undefined)
        version = result.version
        return result.size
      },
      append: async (data) => {
        const result = await this.write(path, { append: true }, data)
        version = result.version
        return result.size
      },
    }
    return new RangedHandle(backend, flags, path, size)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    return (await (await this.send('GET', this.query('readdir', { path }), path)).json()) as DirEntry[]
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    return (await (await this.send('GET', this.query('stat', { path }), path)).json()) as Metadata
  }

  async mkdir(path: string): Promise<void> {
    path = normalizePath(path)
    await this.call('mkdir', { path }, path)
  }

  async remove(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    path = normalizePath(path)
    await this.call('remove', options.recursive ? { path, recursive: '1' } : { path }, path)
  }

  async rename(from: string, to: string): Promise<void> {
    from = normalizePath(from)
    to = normalizePath(to)
    await this.call('rename', { from, to }, from)
  }
}
