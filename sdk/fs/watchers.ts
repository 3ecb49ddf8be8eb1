/** Listener bookkeeping for services that watch natively: who hears a change at which path. */
import { isUnder, parentOf } from './path'
import type { Change, WatchOptions } from './types'

interface Watcher {
  path: string
  recursive: boolean
  onChange: (change: Change) => void
}

export class Watchers {
  private readonly watchers = new Set<Watcher>()

  add(path: string, onChange: (change: Change) => void, options: WatchOptions = {}): () => void {
    const watcher = { path, recursive: options.recursive ?? false, onChange }
    this.watchers.add(watcher)
    return () => this.watchers.delete(watcher)
  }

  /** A watcher hears changes to its path, to its direct children, and with `recursive` to anything below. */
  emit(change: Change): void {
    for (const w of this.watchers) {
      const hit = (p: string) => p === w.path || (p !== '/' && parentOf(p) === w.path) || (w.recursive && isUnder(p, w.path))
      if (hit(change.path) || (change.to !== undefined && hit(change.to))) w.onChange(change)
    }
  }

  get size(): number {
    return this.watchers.size
  }
}
