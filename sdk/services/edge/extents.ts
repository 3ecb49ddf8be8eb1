/**
 * Bytes written into a file but not yet published, as sorted, disjoint, non-adjacent extents
 * over the file's offsets. Writing at the end of an extent grows it in place (amortised), so a
 * sequential writer stays linear; overlapping writes merge, later bytes winning.
 */

class Extent {
  constructor(
    public offset: number,
    public bytes: Uint8Array,
    public length: number,
  ) {}

  get end(): number {
    return this.offset + this.length
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length)
  }

  /** Writes `data` at file offset `at`, which lies inside or at the end of this extent. */
  put(at: number, data: Uint8Array): void {
    const end = at - this.offset + data.length
    if (end > this.bytes.length) {
      const grown = new Uint8Array(Math.max(end, this.bytes.length * 2))
      grown.set(this.view())
      this.bytes = grown
    }
    this.bytes.set(data, at - this.offset)
    this.length = Math.max(this.length, end)
  }
}

export class Extents {
  private list: Extent[] = []

  write(offset: number, data: Uint8Array): void {
    if (data.length === 0) return
    const end = offset + data.length
    // Extents touching [offset, end], adjacency included, merge with the write.
    const first = this.list.findIndex((e) => e.end >= offset)
    let last = first
    while (first >= 0 && last + 1 < this.list.length && this.list[last + 1].offset <= end) last++
    if (first < 0 || this.list[first].offset > end) {
      const at = first < 0 ? this.list.length : first
      this.list.splice(at, 0, new Extent(offset, data.slice(), data.length))
      return
    }
    const head = this.list[first]
    if (first === last && offset >= head.offset) return head.put(offset, data)
    const start = Math.min(head.offset, offset)
    const merged = new Extent(start, new Uint8Array(Math.max(this.list[last].end, end) - start), 0)
    for (let i = first; i <= last; i++) merged.put(this.list[i].offset, this.list[i].view())
    merged.put(offset, data)
    this.list.splice(first, last - first + 1, merged)
  }

  isEmpty(): boolean {
    return this.list.length === 0
  }

  /** Where the last extent ends; 0 when empty. */
  end(): number {
    return this.list.length === 0 ? 0 : this.list[this.list.length - 1].end
  }

  /** Where the first extent starts; 0 when empty. */
  start(): number {
    return this.list.length === 0 ? 0 : this.list[0].offset
  }

  /** Whether every byte of [start, end) is held (contiguous runs are one extent). */
  covers(start: number, end: number): boolean {
    return start >= end || this.list.some((e) => e.offset <= start && e.end >= end)
  }

  /** Lays the held bytes over `target`, which stands for the file's bytes from `start`. */
  overlay(start: number, target: Uint8Array): void {
    const end = start + target.length
    for (const e of this.list) {
      if (e.end <= start || e.offset >= end) continue
      const from = Math.max(start, e.offset)
      target.set(e.bytes.subarray(from - e.offset, Math.min(end, e.end) - e.offset), from - start)
    }
  }

  /** Removes [start, end), which must be covered, and returns its bytes. */
  take(start: number, end: number): Uint8Array {
    const i = this.list.findIndex((e) => e.offset <= start && e.end >= end)
    if (i < 0) throw new RangeError(`[${start}, ${end}) is not held`)
    const e = this.list[i]
    const out = e.bytes.slice(start - e.offset, end - e.offset)
    const pieces: Extent[] = []
    if (e.offset < start) pieces.push(new Extent(e.offset, e.bytes.slice(0, start - e.offset), start - e.offset))
    if (end < e.end) pieces.push(new Extent(end, e.bytes.slice(end - e.offset, e.length), e.end - end))
    this.list.splice(i, 1, ...pieces)
    return out
  }

  /** Bytes held, over all extents. */
  size(): number {
    return this.list.reduce((n, e) => n + e.length, 0)
  }

  clear(): void {
    this.list = []
  }
}
