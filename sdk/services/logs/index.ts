/**
 * LogsFs, mounted at /logs: `stdout.log`, `stderr.log` and `events.jsonl`, as OANIX has them.
 * Append-only: every write goes to the end; opening with truncate, or writing after seeking back
 * before the end, is refused with `permission-denied`. `events.jsonl` takes JSON objects, one per
 * line (a line without a `timestamp` gets one); anything else is refused with `io` and nothing is
 * appended. Each file is readable whole or followed line by line with `stream()`.
 *
 * Memory is bounded: each file keeps at most `maxBytes` (default 1 MiB). Past that the oldest lines
 * are dropped, whole; a single line longer than the cap keeps only its last `maxBytes` bytes. A reader
 * that falls that far behind misses what was dropped.
 */
import { FsError } from '../../fs/error'
import { toBytes, toText } from '../../fs/io'
import { baseName, normalizePath } from '../../fs/path'
import type { FileHandle, OpenFlags } from '../../fs/types'
import { dir, file, FuncFs } from '../func'
import { LineBuffer } from './lines'

export const LOG_FILES = ['stdout.log', 'stderr.log', 'events.jsonl'] as const
export type LogFile = (typeof LOG_FILES)[number]

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** One line of events.jsonl, as OANIX's LogEvent (timestamp in unix seconds). */
export interface LogEvent {
  timestamp: number
  level: LogLevel
  message: string
  data?: unknown
}

export interface LogsFsOptions {
  /** Bytes kept per file; default 1 MiB. */
  maxBytes?: number
}

const now = () => Math.floor(Date.now() / 1000)

/** Checks a write to events.jsonl (one JSON object per line) and stamps lines that lack a timestamp. */
export function eventLines(text: string, at = now()): string {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines
    .map((line, i) => {
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        value = undefined
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new FsError('invalid-argument', `events.jsonl takes one JSON object per line; line ${i + 1} is not one`, '/events.jsonl')
      }
      return JSON.stringify({ timestamp: at, ...value }) + '\n'
    })
    .join('')
}

export class LogsFs extends FuncFs {
  private readonly buffers: Record<LogFile, LineBuffer>

  constructor(options: LogsFsOptions = {}) {
    const files = LOG_FILES.map((name) => [name, file(() => this.text(name), (data) => this.append(name, data))])
    super(dir(Object.fromEntries(files)))
    const maxBytes = options.maxBytes ?? 1 << 20
    this.buffers = { 'stdout.log': new LineBuffer(maxBytes), 'stderr.log': new LineBuffer(maxBytes), 'events.jsonl': new LineBuffer(maxBytes) }
  }

  private buffer(name: string): LineBuffer {
    if (!Object.hasOwn(this.buffers, name)) throw new FsError('not-found', 'no such log', `/${name}`)
    return this.buffers[name as LogFile]
  }

  /** Appends to a log; events.jsonl only takes JSON object lines. */
  append(name: LogFile, data: Uint8Array | string): void {
    const buffer = this.buffer(name)
    const bytes = name === 'events.jsonl' ? toBytes(eventLines(typeof data === 'string' ? data : toText(data))) : toBytes(data)
    if (bytes.length === 0) return
    buffer.append(bytes)
    this.notify({ type: 'modify', path: `/${name}`, size: buffer.size })
  }

  /** Appends one structured event to events.jsonl. */
  log(level: LogLevel, message: string, data?: unknown): void {
    if (!LOG_LEVELS.includes(level)) throw new FsError('invalid-argument', `unknown log level "${level}"`, '/events.jsonl')
    const event: LogEvent = { timestamp: now(), level, message, ...(data === undefined ? {} : { data }) }
    this.append('events.jsonl', JSON.stringify(event) + '\n')
  }

  text(name: LogFile): string {
    return this.buffer(name).text()
  }

  /**
   * The lines of a log (without their newlines): first those already there, then each new one as it
   * is completed, until `signal` aborts. An unfinished last line is yielded once it ends.
   */
  stream(name: LogFile, options: { signal?: AbortSignal } = {}): AsyncIterable<string> {
    return follow(this.buffer(name), options.signal)
  }

  override async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    if (!flags.write && !flags.append && !flags.truncate) return super.open(path, flags)
    // Append mode hands each flush's bytes to the log once, whatever the handle's position.
    const handle = await super.open(path, { ...flags, truncate: false, append: true })
    path = normalizePath(path)
    if (flags.truncate) throw new FsError('permission-denied', 'logs are append-only: cannot truncate', path)
    return new AppendOnlyHandle(handle, this.buffer(baseName(path)), path)
  }
}

async function* follow(buffer: LineBuffer, signal?: AbortSignal): AsyncGenerator<string> {
  let next = 0
  while (!signal?.aborted) {
    const batch = buffer.since(next)
    next = batch.next
    for (const line of batch.lines) {
      if (signal?.aborted) return
      yield line
    }
    if (batch.lines.length === 0) await buffer.changed(signal)
  }
}

/** A writable log handle: reads as usual, writes go to the end, and writing after seeking back is refused. */
class AppendOnlyHandle implements FileHandle {
  private seekedTo?: number

  constructor(
    private readonly inner: FileHandle,
    private readonly log: LineBuffer,
    private readonly path: string,
  ) {}

  read(size?: number): Promise<Uint8Array> {
    return this.inner.read(size)
  }

  async write(data: Uint8Array | string): Promise<number> {
    if (this.seekedTo !== undefined && this.seekedTo < this.log.size) {
      throw new FsError('permission-denied', 'logs are append-only: cannot write at an earlier position', this.path)
    }
    return this.inner.write(data)
  }

  async seek(position: number): Promise<void> {
    await this.inner.seek(position)
    this.seekedTo = position
  }

  position(): number {
    return this.inner.position()
  }

  flush(): Promise<void> {
    return this.inner.flush()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}
