/** A raw relay client inside the Workers runtime, for tests that drive the Durable Object. */
import { SELF } from 'cloudflare:test'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'

export type Frame = [string, ...unknown[]]

interface Waiter {
  pred: (f: Frame) => boolean
  resolve: (f: Frame) => void
  timer: ReturnType<typeof setTimeout>
}

export class TestSocket {
  private readonly frames: Frame[] = []
  private readonly waiters: Waiter[] = []

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (m) => {
      const frame = JSON.parse(m.data as string) as Frame
      const i = this.waiters.findIndex((w) => w.pred(frame))
      if (i < 0) return void this.frames.push(frame)
      const [waiter] = this.waiters.splice(i, 1)
      clearTimeout(waiter.timer)
      waiter.resolve(frame)
    })
  }

  static async open(): Promise<TestSocket> {
    const res = await SELF.fetch('http://relay.test/', { headers: { Upgrade: 'websocket' } })
    const ws = res.webSocket
    if (!ws) throw new Error(`no WebSocket: ${res.status}`)
    ws.accept()
    return new TestSocket(ws)
  }

  send(frame: unknown[]) {
    this.ws.send(JSON.stringify(frame))
  }

  /** The next frame (oldest first) matching `pred`, removed from the queue. */
  next(pred: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const i = this.frames.findIndex(pred)
    if (i >= 0) return Promise.resolve(this.frames.splice(i, 1)[0])
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        pred,
        resolve,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1)
          reject(new Error(`no matching frame in ${timeoutMs} ms; queued: ${JSON.stringify(this.frames).slice(0, 500)}`))
        }, timeoutMs),
      }
      this.waiters.push(waiter)
    })
  }

  async publish(event: { id: string }, timeoutMs?: number): Promise<Frame> {
    this.send(['EVENT', event])
    return this.next((f) => f[0] === 'OK' && f[1] === event.id, timeoutMs)
  }

  /** Stored events of a REQ, up to its EOSE. */
  async req(subId: string, ...filters: object[]): Promise<Array<{ id: string }>> {
    this.send(['REQ', subId, ...filters])
    const out: Array<{ id: string }> = []
    for (;;) {
      const f = await this.next((f) => (f[0] === 'EVENT' || f[0] === 'EOSE' || f[0] === 'CLOSED') && f[1] === subId)
      if (f[0] !== 'EVENT') return out
      out.push(f[2] as { id: string })
    }
  }

  close() {
    this.ws.close()
  }
}

export const now = () => Math.floor(Date.now() / 1000)

export function signed(template: { kind: number; content?: string; tags?: string[][]; created_at?: number }, sk = generateSecretKey()) {
  return finalizeEvent({ content: '', tags: [], created_at: now(), ...template }, sk)
}
