/** A push-based async iterable: items pushed before anyone reads are kept; `end` finishes it. */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = []
  private readonly readers: Array<(r: IteratorResult<T>) => void> = []
  private ended = false

  push(item: T) {
    if (this.ended) return
    const reader = this.readers.shift()
    if (reader) reader({ value: item, done: false })
    else this.items.push(item)
  }

  end() {
    this.ended = true
    for (const reader of this.readers.splice(0)) reader({ value: undefined, done: true })
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false })
        if (this.ended) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve) => this.readers.push(resolve))
      },
    }
  }
}
