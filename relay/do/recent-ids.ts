/**
 * A bounded set of ids of events the relay holds, so duplicates are answered before any
 * signature check. Ids leave it when their events are deleted or replaced, so a re-sent
 * deleted event meets the store's refusal instead of a `duplicate:` answer.
 */
export class RecentIds {
  private readonly ids = new Set<string>()

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id)
  }

  delete(id: string) {
    this.ids.delete(id)
  }

  add(id: string) {
    if (this.ids.has(id)) return
    if (this.ids.size >= this.capacity) this.ids.delete(this.ids.values().next().value as string)
    this.ids.add(id)
  }
}
