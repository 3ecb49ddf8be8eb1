/**
 * Server-sent events as model back-ends stream them (WHATWG event-stream format), and the text
 * a streamed chunk carries. Pure.
 */

/** Turns arbitrary slices of an event stream into the `data` of each complete event. */
export class SseDecoder {
  private buffer = ''
  private data: string[] = []

  /** Feeds the next slice; returns the data of the events it completed. */
  push(slice: string): string[] {
    this.buffer += slice
    const events: string[] = []
    for (;;) {
      const end = this.buffer.search(/[\r\n]/)
      if (end === -1) break
      // A CR at the end of the slice may be the first half of a CRLF: wait for the next slice.
      if (this.buffer[end] === '\r' && end === this.buffer.length - 1) break
      const line = this.buffer.slice(0, end)
      this.buffer = this.buffer.slice(end + (this.buffer.startsWith('\r\n', end) ? 2 : 1))
      this.line(line, events)
    }
    return events
  }

  /** The stream ended: an event left without its blank line still counts. */
  end(): string[] {
    const events: string[] = []
    if (this.buffer !== '') this.line(this.buffer.replace(/\r$/, ''), events)
    this.buffer = ''
    this.line('', events)
    return events
  }

  private line(line: string, events: string[]) {
    if (line === '') {
      if (this.data.length > 0) events.push(this.data.join('\n'))
      this.data = []
      return
    }
    if (line.startsWith(':')) return // comment, e.g. a keep-alive
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    if (field !== 'data') return // event, id, retry: nothing a completion stream needs
    const value = colon === -1 ? '' : line.slice(colon + 1)
    this.data.push(value.startsWith(' ') ? value.slice(1) : value)
  }
}

/** The end-of-stream marker of OpenAI-style streams. */
export const DONE = '[DONE]'

/**
 * The text one streamed chunk adds: OpenAI's `choices[0].delta.content`, or Workers AI's
 * `response`. An `error` in the chunk is returned as such.
 */
export function chunkText(payload: unknown): { text: string } | { error: string } {
  if (typeof payload !== 'object' || payload === null) return { text: '' }
  const p = payload as { error?: unknown; response?: unknown; choices?: Array<{ delta?: { content?: unknown } }> }
  if (p.error !== undefined && p.error !== null) return { error: errorMessage(p.error) }
  if (typeof p.response === 'string') return { text: p.response }
  const content = p.choices?.[0]?.delta?.content
  return { text: typeof content === 'string' ? content : '' }
}

/** The message of an error body: `{ error: { message } }`, `{ error: "..." }` or `{ message }`. */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error
  if (typeof error === 'object' && error !== null) {
    const e = error as { message?: unknown; error?: unknown }
    if (typeof e.message === 'string') return e.message
    if (e.error !== undefined) return errorMessage(e.error)
  }
  return 'unknown error'
}
