/**
 * One WebSocket connection of WsFs: its state as `conns/<id>/status` shows it, an outbox that holds
 * messages written while connecting, and a bounded inbox (the oldest message is dropped when full).
 * Works with any WebSocket that has the browser's event interface: browsers', Workers', `ws`.
 */
import { FsError } from '../../fs/error'

/** The part of the WebSocket interface WsFs uses. */
export interface WebSocketLike {
  binaryType?: string
  send(data: string | ArrayBuffer | Uint8Array): void
  close(code?: number, reason?: string): void
  /** `any`: browsers, Workers and `ws` each type their events their own way. */
  addEventListener(type: 'open' | 'message' | 'error' | 'close', listener: (event: any) => void): void
}

export type WebSocketConstructor = new (url: string) => WebSocketLike

export type WsState = 'connecting' | 'open' | 'closing' | 'closed' | 'error'

export type WsMessage = string | Uint8Array

export interface WsConnectionStatus {
  id: string
  url: string
  state: WsState
  error?: string
  outbox_count: number
  inbox_count: number
  /** Messages dropped from a full inbox. */
  inbox_dropped: number
  /** Unix seconds. */
  opened_at: number
}

export interface ConnectionLimits {
  connectTimeoutMs: number
  maxInbox: number
  maxOutbox: number
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Text frames for UTF-8, binary frames for anything else. */
function frame(data: Uint8Array): WsMessage {
  try {
    return strictUtf8.decode(data)
  } catch {
    return data
  }
}

export class Connection {
  state: WsState = 'connecting'
  error?: string
  readonly openedAt = Math.floor(Date.now() / 1000)
  private readonly outbox: WsMessage[] = []
  private readonly inbox: WsMessage[] = []
  private dropped = 0
  /** Counts of messages received and taken, which together version the head of the inbox. */
  private received = 0
  private taken = 0
  private socket?: WebSocketLike
  private timer?: ReturnType<typeof setTimeout>

  constructor(
    readonly id: string,
    readonly url: string,
    private readonly limits: ConnectionLimits,
    /** Called on every change of the status or the inbox; `ended` when it became closed or error. */
    private readonly changed: (what: 'status' | 'in' | 'ended') => void,
  ) {}

  get live(): boolean {
    return this.state === 'connecting' || this.state === 'open' || this.state === 'closing'
  }

  connect(WebSocket: WebSocketConstructor): void {
    try {
      this.socket = new WebSocket(this.url)
    } catch (error) {
      return this.fail(error instanceof Error ? error.message : String(error))
    }
    const socket = this.socket
    socket.binaryType = 'arraybuffer'
    this.timer = setTimeout(() => {
      this.fail(`connect timed out after ${this.limits.connectTimeoutMs / 1000} s`)
      socket.close()
    }, this.limits.connectTimeoutMs)
    socket.addEventListener('open', () => {
      clearTimeout(this.timer)
      if (this.state !== 'connecting') return
      this.state = 'open'
      for (const message of this.outbox.splice(0)) socket.send(message)
      this.changed('status')
    })
    socket.addEventListener('message', (event: { data: unknown }) => this.receive(event.data))
    socket.addEventListener('error', (event: { message?: string }) => this.fail(event.message || 'connection failed'))
    socket.addEventListener('close', () => {
      clearTimeout(this.timer)
      if (this.state === 'error' || this.state === 'closed') return
      this.state = 'closed'
      this.changed('ended')
    })
  }

  /** Ends in state error, unless it was already ending. */
  private fail(message: string): void {
    clearTimeout(this.timer)
    if (!this.live || this.state === 'closing') return
    this.state = 'error'
    this.error = message
    this.changed('ended')
  }

  close(): void {
    if (!this.live || this.state === 'closing') return
    this.state = 'closing'
    this.outbox.length = 0
    this.socket?.close()
    this.changed('status')
  }

  /** Sends `data` as one message, or holds it until the connection opens. */
  send(data: Uint8Array, path: string): void {
    if (this.state !== 'connecting' && this.state !== 'open') throw new FsError('io', `cannot send on a ${this.state} connection`, path)
    if (this.state === 'open') return this.socket!.send(frame(data))
    if (this.outbox.length >= this.limits.maxOutbox) throw new FsError('rate-limited', `${this.limits.maxOutbox} messages already wait for the connection to open`, path)
    this.outbox.push(frame(data))
    this.changed('status')
  }

  private receive(data: unknown): void {
    if (typeof data === 'string') this.inbox.push(data)
    else if (data instanceof ArrayBuffer) this.inbox.push(new Uint8Array(data))
    else if (ArrayBuffer.isView(data)) this.inbox.push(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice())
    else return
    this.received++
    if (this.inbox.length > this.limits.maxInbox) {
      this.inbox.shift()
      this.dropped++
    }
    this.changed('in')
  }

  /** Takes the oldest message of the inbox. */
  take(): WsMessage | undefined {
    const message = this.inbox.shift()
    if (message !== undefined) {
      this.taken++
      this.changed('status')
    }
    return message
  }

  peek(): WsMessage | undefined {
    return this.inbox[0]
  }

  /** Changes whenever the message `take()` would return changes. */
  get inboxVersion(): string {
    return `${this.received}.${this.taken}`
  }

  status(): WsConnectionStatus {
    return {
      id: this.id,
      url: this.url,
      state: this.state,
      ...(this.error === undefined ? {} : { error: this.error }),
      outbox_count: this.outbox.length,
      inbox_count: this.inbox.length,
      inbox_dropped: this.dropped,
      opened_at: this.openedAt,
    }
  }
}
