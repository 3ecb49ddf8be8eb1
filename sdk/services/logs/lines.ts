/**
 * One log file in memory: complete lines numbered from 0 in the order written, and an unfinished
 * last line. At most `maxBytes` (UTF-8) are kept: past that the oldest lines are dropped whole, and a
 * line longer than the cap keeps only its last `maxBytes` bytes. Line numbers never restart, so a
 * reader that remembers the next number it wants neither misses nor repeats a line still kept.
 */

const encoder = new TextEncoder()

/** UTF-8 length without encoding. */
function utf8Length(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** The last `max` bytes of `text` (a character cut in half becomes U+FFFD). */
function tail(text: string, max: number): string {
  const bytes = encoder.encode(text)
  return new TextDecoder().decode(bytes.subarray(Math.max(0, bytes.length - max)))
}

export class LineBuffer {
  private lines: string[] = []
  /** Bytes of each kept line, its newline included. */
  private sizes: number[] = []
  /** The number of lines[0]. */
  private first = 0
  private partial = ''
  private partialBytes = 0
  private linesBytes = 0
  private readonly decoder = new TextDecoder()
  private readonly waiting = new Set<() => void>()

  constructor(readonly maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError('maxBytes must be a positive integer')
  }

  get size(): number {
    return this.linesBytes + this.partialBytes
  }

  /** Appends bytes; a character split across appends is joined. */
  append(data: Uint8Array): void {
    const parts = this.decoder.decode(data, { stream: true }).split('\n')
    const rest = parts.pop()!
    for (const part of parts) {
      this.push(this.partial + part, this.partialBytes + utf8Length(part) + 1)
      this.partial = ''
      this.partialBytes = 0
    }
    this.partial += rest
    this.partialBytes += utf8Length(rest)
    if (this.partialBytes > this.maxBytes) {
      this.partial = tail(this.partial, this.maxBytes)
      this.partialBytes = utf8Length(this.partial)
    }
    while (this.size > this.maxBytes && this.lines.length > 0) {
      this.lines.shift()
      this.linesBytes -= this.sizes.shift()!
      this.first++
    }
    for (const wake of [...this.waiting]) wake()
  }

  private push(line: string, bytes: number): void {
    if (bytes > this.maxBytes) {
      line = tail(line, this.maxBytes - 1)
      bytes = utf8Length(line) + 1
    }
    this.lines.push(line)
    this.sizes.push(bytes)
    this.linesBytes += bytes
  }

  text(): string {
    return this.lines.map((line) => line + '\n').join('') + this.partial
  }

  /** The kept complete lines numbered `from` on (or from the oldest kept, if those are gone), and the number after them. */
  since(from: number): { lines: string[]; next: number } {
    const start = Math.max(from, this.first)
    return { lines: this.lines.slice(start - this.first), next: this.first + this.lines.length }
  }

  /** Resolves at the next append, or when `signal` aborts. */
  changed(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const done = () => {
        this.waiting.delete(done)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      this.waiting.add(done)
      signal?.addEventListener('abort', done)
    })
  }
}
