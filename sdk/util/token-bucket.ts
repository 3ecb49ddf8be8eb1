/** Token buckets for rate limits (per connection, per IP, per pubkey). Pure: time is passed in. */

export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst
    this.last = now
  }

  /** Takes one token if there is one. `now` is in milliseconds. */
  take(now: number): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/** Buckets by key (an IP address, a pubkey), dropped once full again so the map cannot grow without bound. */
export class BucketMap {
  private readonly buckets = new Map<string, { bucket: TokenBucket; seen: number }>()

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  take(key: string, now: number): boolean {
    let entry = this.buckets.get(key)
    if (!entry) {
      if (this.buckets.size > 10000) this.sweep(now)
      entry = { bucket: new TokenBucket(this.perSecond, this.burst, now), seen: now }
      this.buckets.set(key, entry)
    }
    entry.seen = now
    return entry.bucket.take(now)
  }

  private sweep(now: number) {
    const refill = (this.burst / Math.max(this.perSecond, 1e-9)) * 1000
    for (const [key, entry] of this.buckets) if (now - entry.seen > refill) this.buckets.delete(key)
  }
}
