/**
 * Batches event writes: while one D1 transaction is in flight, new events wait and go
 * together in the next. An idle queue writes at once, so batching adds no latency.
 */
import type { NostrEvent } from '../protocol/event'
import type { Outcome } from '../protocol/batch-plan'

export type WriteBatch = (events: NostrEvent[]) => Promise<{ outcomes: Outcome[]; removed: string[] }>

interface Pending {
  event: NostrEvent
  resolve: (o: Outcome) => void
  reject: (err: unknown) => void
}

export class WriteQueue {
  private pending: Pending[] = []
  private running = false

  constructor(
    private readonly write: WriteBatch,
    /** Told the ids of stored events a batch deleted or replaced. */
    private readonly onRemoved: (ids: string[]) => void,
    private readonly maxBatch = 200,
  ) {}

  /** Resolves once the event's fate is committed; rejects if the storage write failed. */
  submit(event: NostrEvent): Promise<Outcome> {
    return new Promise((resolve, reject) => {
      this.pending.push({ event, resolve, reject })
      if (!this.running) void this.drain()
    })
  }

  private async drain() {
    this.running = true
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch)
      try {
        const { outcomes, removed } = await this.write(batch.map((p) => p.event))
        this.onRemoved(removed)
        batch.forEach((p, i) => p.resolve(outcomes[i]))
      } catch (err) {
        for (const p of batch) p.reject(err)
      }
    }
    this.running = false
  }
}
