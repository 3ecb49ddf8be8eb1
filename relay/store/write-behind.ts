/**
 * Coalescing write-behind for derived state (jobs, DVM activity): callers change values in
 * memory and move on; a background loop writes whatever changed in one D1 call, at most once
 * per `delay` ms, so a value changed five times meanwhile is written once. Every D1 call costs
 * milliseconds and D1 runs them one at a time, so fewer calls leave more room for the event
 * writes that clients wait on. Failed writes are retried.
 */
export class WriteBehind<V> {
  private readonly dirty = new Map<string, V>()
  private flushing: Promise<void> | null = null

  constructor(
    private readonly write: (values: V[]) => Promise<unknown>,
    private readonly label: string,
    private readonly delay = 100,
  ) {}

  set(key: string, value: V) {
    this.dirty.set(key, value)
    this.flushing ??= this.flush()
  }

  has(key: string): boolean {
    return this.dirty.has(key)
  }

  /** Resolves when everything set so far is written. */
  async settled() {
    while (this.flushing) await this.flushing
  }

  private async flush() {
    try {
      while (this.dirty.size > 0) {
        await new Promise((r) => setTimeout(r, this.delay))
        const batch = [...this.dirty]
        this.dirty.clear()
        try {
          await this.write(batch.map(([, v]) => v))
        } catch (err) {
          console.error(`${this.label}: write failed, will retry`, err)
          for (const [k, v] of batch) if (!this.dirty.has(k)) this.dirty.set(k, v)
          await new Promise((r) => setTimeout(r, 1000))
        }
      }
    } finally {
      this.flushing = null
    }
  }
}
