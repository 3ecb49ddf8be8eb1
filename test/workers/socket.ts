/** A raw relay client inside the Workers runtime, for tests that drive the Durable Object. */
import { SELF } from 'cloudflare:test'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'

export type Frame = [string, ...unknown[]]

export class TestSocket {
  private readonly frames: Frame[] = []
  private waiters: Array<() => void> = []

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener('message', (m) => {
      this.frames.push(JSON.parse(m.data as string))
      for (const w of this.waiters.splice(0)) w()
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
  async next(pred: (f: Frame) => boolean = () => true, timeoutMs = 5000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const i = this.frames.findIndex(pred)
      if (i >= 0) return this.frames.splice(i, 1)[0]
      if (Date.now() > deadline) throw new Error(`no matching frame; queued: ${JSON.stringify(this.frames).slice(0, 500)}`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }

  async publish(event: { id: string }): Promise<Frame> {
    this.send(['EVENT', event])
    return this.next((f) => f[0] === 'OK' && f[1] === event.id)
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
