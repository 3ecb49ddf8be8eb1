/**
 * LogsFs at the edge: /logs as OANIX lays it out (stdout.log, stderr.log, events.jsonl; see
 * sdk/services/logs), kept in R2 under a per-namespace prefix. Each flush appends one object
 * (`<prefix>/<file>/<segment>`, see segments.ts), so appends never rewrite what is there and a
 * listing gives the log in order; reads are range reads over the segments. Append-only: every
 * write goes to the end, truncation is refused, and events.jsonl takes JSON objects, one a line.
 */
import { FsError } from '../../sdk/fs/error'
import { toBytes, toText } from '../../sdk/fs/io'
import { normalizePath } from '../../sdk/fs/path'
import type { DirEntry, FileHandle, FileService, Metadata, OpenFlags } from '../../sdk/fs/types'
import { eventLines, LOG_FILES, type LogFile } from '../../sdk/services/logs'
import { RangedHandle } from '../../sdk/services/edge/ranged-handle'
import { covering, nextSegmentName, type Segment } from './segments'

export class EdgeLogsFs implements FileService {
  /** `prefix` names the namespace's logs in the bucket, e.g. `logs/<namespace>`. */
  constructor(
    private readonly bucket: R2Bucket,
    private readonly prefix: string,
  ) {
    if (!/^[^/]+(\/[^/]+)*$/.test(prefix)) throw new FsError('invalid-path', 'a prefix is non-empty segments joined by /', prefix)
  }

  private logOf(path: string): LogFile {
    const name = normalizePath(path).slice(1)
    if (!(LOG_FILES as readonly string[]).includes(name)) throw new FsError('not-found', 'no such log', normalizePath(path))
    return name as LogFile
  }

  /** The log's segments in order, each with its offset in the log. */
  private async segments(name: LogFile): Promise<{ segments: Segment[]; size: number; last?: R2Object }> {
    const segments: Segment[] = []
    let size = 0
    let last: R2Object | undefined
    let cursor: string | undefined
    do {
      const page = await this.bucket.list({ prefix: `${this.prefix}/${name}/`, cursor })
      for (const object of page.objects) {
        segments.push({ key: object.key, offset: size, size: object.size })
        size += object.size
        last = object
      }
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor)
    return { segments, size, last }
  }

  /** Stores one segment (events gain timestamps); returns its key and size. */
  private async appendSegment(name: LogFile, data: Uint8Array): Promise<{ key: string; size: number }> {
    const bytes = name === 'events.jsonl' ? toBytes(eventLines(toText(data))) : data
    const key = `${this.prefix}/${name}/${nextSegmentName()}`
    if (bytes.length > 0) await this.bucket.put(key, bytes)
    return { key, size: bytes.length }
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    const name = this.logOf(path)
    if (flags.create && flags.exclusive) throw new FsError('exists', 'file exists', `/${name}`)
    if (flags.truncate) throw new FsError('permission-denied', 'logs are append-only: cannot truncate', `/${name}`)
    const listed = await this.segments(name)
    let size = listed.size
    const backend = {
      readBase: async (offset: number, length: number) => {
        const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)))
        for (const piece of covering(listed.segments, offset, out.length)) {
          const object = await this.bucket.get(piece.key, { range: { offset: piece.offset, length: piece.length } })
          if (!object) throw new FsError('conflict', 'the log changed while open', `/${name}`)
          out.set(new Uint8Array(await object.arrayBuffer()), piece.at)
        }
        return out
      },
      commit: async () => {
        throw new FsError('permission-denied', 'logs are append-only', `/${name}`)
      },
      append: async (data: Uint8Array) => {
        const segment = await this.appendSegment(name, data)
        listed.segments.push({ ...segment, offset: size })
        size += segment.size
        return size
      },
    }
    // Every write goes to the end, whatever the position, as in OANIX.
    return new RangedHandle(backend, { ...flags, append: flags.write || flags.append }, `/${name}`, size)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    if (path !== '/') throw new FsError(LOG_FILES.some((f) => `/${f}` === path) ? 'not-a-directory' : 'not-found', 'no such directory', path)
    const entries: DirEntry[] = []
    for (const name of LOG_FILES) entries.push({ name, kind: 'file', size: (await this.segments(name)).size })
    return entries.sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async stat(path: string): Promise<Metadata> {
    if (normalizePath(path) === '/') return { kind: 'dir', size: LOG_FILES.length, modified: 0, version: '0', readonly: false }
    const { size, last, segments } = await this.segments(this.logOf(path))
    return { kind: 'file', size, modified: last ? Math.floor(last.uploaded.getTime() / 1000) : 0, version: `${segments.length}:${last?.key ?? ''}`, readonly: false }
  }

  async mkdir(path: string): Promise<void> {
    throw new FsError('permission-denied', 'LogsFs has a fixed structure', normalizePath(path))
  }

  async remove(path: string): Promise<void> {
    throw new FsError('permission-denied', 'LogsFs has a fixed structure', normalizePath(path))
  }

  async rename(from: string, _to: string): Promise<void> {
    throw new FsError('permission-denied', 'LogsFs has a fixed structure', normalizePath(from))
  }
}
