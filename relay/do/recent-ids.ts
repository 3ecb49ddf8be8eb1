/** A bounded set of recently seen event ids, so duplicates are answered before any signature check. */
export class RecentIds {
  private readonly ids = new Set<string>()

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id)
  }

  add(id: string) {
    if (this.ids.has(id)) return
    if (this.ids.size >= this.capacity) this.ids.delete(this.ids.values().next().value as string)
    this.ids.add(id)
  }
}
