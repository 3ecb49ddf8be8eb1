/**
 * Partial results, throttled: handlers may report every token, the customer gets the newest text
 * at most once per interval, and nothing once the job has ended.
 */
export class PartialThrottle {
  private latest: string | null = null
  private lastSent = -Infinity
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false

  constructor(
    private readonly interval: number,
    /** Sends one partial; the caller keeps answers in order. */
    private readonly send: (text: string) => Promise<void>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Sends `text` now if the interval has passed, else keeps it for the end of the interval. */
  push(text: string): Promise<void> {
    if (this.closed) return Promise.resolve()
    this.latest = text
    if (this.timer) return Promise.resolve()
    const wait = this.lastSent + this.interval - this.now()
    if (wait <= 0) return this.flush()
    this.timer = setTimeout(() => void this.flush().catch(() => {}), wait)
    return Promise.resolve()
  }

  /** Drops whatever is waiting; later pushes are ignored. */
  close() {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.latest = null
  }

  private flush(): Promise<void> {
    this.timer = null
    const text = this.latest
    if (this.closed || text === null) return Promise.resolve()
    this.latest = null
    this.lastSent = this.now()
    return this.send(text)
  }
}
