/** One client socket: what survives hibernation (the attachment) and what is rebuilt. */
import { TokenBucket } from '../../sdk/util/token-bucket'
import type { RelayConfig } from '../config'
import type { Filter } from '../protocol/filter'

/** Kept in the socket's attachment, so it survives hibernation with the socket. */
export interface SocketState {
  connId: string
  ip: string
  /** Host the client connected to, which NIP-42 relay tags must name. */
  host: string
  challenge: string
  authed: string[]
}

export interface Subscription {
  filters: Filter[]
  /** Live events that arrived while the stored ones were being read; sent after EOSE. */
  backlog: string[] | null
}

export class Connection {
  readonly subs = new Map<string, Subscription>()
  readonly events: TokenBucket
  readonly reqs: TokenBucket

  constructor(
    readonly ws: WebSocket,
    readonly state: SocketState,
    config: RelayConfig,
    now: number,
  ) {
    this.events = new TokenBucket(config.eventsPerSecond, config.eventBurst, now)
    this.reqs = new TokenBucket(config.reqsPerSecond, Math.max(config.reqsPerSecond * 5, 1), now)
  }

  isAuthed(pubkey?: string): boolean {
    return pubkey === undefined ? this.state.authed.length > 0 : this.state.authed.includes(pubkey)
  }

  addAuthed(pubkey: string) {
    if (!this.state.authed.includes(pubkey)) this.state.authed.push(pubkey)
    this.ws.serializeAttachment(this.state)
  }

  /** Sends a frame; a socket that has gone away is cleaned up by its close event, not here. */
  send(frame: string) {
    try {
      this.ws.send(frame)
    } catch {
      // closed or closing
    }
  }

  ok(id: string, accepted: boolean, message: string) {
    this.send(JSON.stringify(['OK', id, accepted, message]))
  }

  closed(subId: string, message: string) {
    this.send(JSON.stringify(['CLOSED', subId, message]))
  }

  notice(message: string) {
    this.send(JSON.stringify(['NOTICE', message]))
  }
}

/** An EVENT frame from stored JSON without parsing it again. */
export const eventFrame = (subId: string, raw: string) => `["EVENT",${JSON.stringify(subId)},${raw}]`
