/**
 * EdgeWsFs: /cap/ws at the edge, one Durable Object per agent. Writing `control` opens an outbound
 * WebSocket from the object; what arrives is kept in the object's storage (bounded) until the
 * agent reads `conns/<id>/in`, so messages wait while nobody reads. Outbound sockets cannot
 * hibernate: connections do not survive the object's eviction and then read as closed.
 * Reached through the Worker's /cap/ws/ routes (NIP-98, one object per pubkey) or a stub.
 */
import { DurableObject } from 'cloudflare:workers'
import { FsError } from '../../sdk/fs/error'
import { EdgeFs } from '../../sdk/services/edge'
import type { EdgeEnv } from '../env'
import { errorResponse, serveFileApi } from '../file-api'
import { AUTH_EVENT_HEADER } from '../file-do'
import { SeenIds } from '../seen-ids'
import { allowList, checkTarget } from '../target'
import { ConnStore, type Message } from './conn-store'
import { WsTree, type WsPort } from './ws-tree'

/** OANIX's connect timeout. */
export const CONNECT_TIMEOUT_MS = 10_000

export class EdgeWsFs extends DurableObject<EdgeEnv> {
  private readonly store: ConnStore
  private readonly seen: SeenIds
  private readonly sockets = new Map<string, WebSocket>()
  private readonly tree: WsTree

  constructor(ctx: DurableObjectState, env: EdgeEnv) {
    super(ctx, env)
    this.store = new ConnStore(ctx.storage.sql)
    this.seen = new SeenIds(ctx.storage.sql)
    // A new instance holds no sockets: whatever was live before is gone.
    this.store.loseLive()
    this.tree = new WsTree(this.port())
  }

  async fetch(request: Request): Promise<Response> {
    const match = /^\/cap\/ws\/(.*)$/.exec(new URL(request.url).pathname)
    try {
      if (!match) throw new FsError('invalid-path', 'expected /cap/ws/<operation>')
      const auth = request.headers.get(AUTH_EVENT_HEADER)
      if (auth !== null) {
        const [id, until] = auth.split(' ')
        if (!this.seen.claim(id, Math.floor(Date.now() / 1000), Number(until))) throw new FsError('permission-denied', 'this auth event was already used')
      }
      return await serveFileApi(this.tree, request, match[1], { ranges: false })
    } catch (error) {
      return errorResponse(error)
    }
  }

  private port(): WsPort {
    const store = this.store
    return {
      conns: () => store.list(),
      conn: (id) => store.get(id),
      lastOpened: () => store.lastOpened(),
      open: (url) => {
        const target = checkTarget(url, ['ws:', 'wss:'], allowList(this.env.EDGE_ALLOW_HOSTS))
        if (!target.ok) throw new FsError('permission-denied', `cannot connect to ${url}: ${target.reason}`)
        const conn = store.create(target.url.href, Math.floor(Date.now() / 1000))
        this.ctx.waitUntil(this.dial(conn.id, target.url))
        return conn
      },
      close: (id) => {
        // A connection still opening is closed by dial() when it gets there.
        const socket = this.sockets.get(id)
        const state = store.get(id)?.state
        if (socket || state === 'connecting') store.setState(id, 'closing')
        socket?.close(1000, 'closed by the agent')
      },
      send: (id, message) => {
        const socket = this.sockets.get(id)
        if (socket && store.get(id)?.state === 'open') sendOn(socket, message)
        else store.push(id, 'out', message)
      },
      receive: (id) => store.pop(id, 'in'),
      nextSize: (id) => store.peekSize(id, 'in'),
      forget: (id) => store.remove(id),
    }
  }

  private async dial(id: string, url: URL): Promise<void> {
    let socket: WebSocket
    try {
      const http = new URL(url)
      http.protocol = url.protocol === 'wss:' ? 'https:' : 'http:'
      const res = await fetch(http, { headers: { Upgrade: 'websocket' }, signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS) })
      if (!res.webSocket) throw new Error(`the server answered HTTP ${res.status} instead of upgrading`)
      socket = res.webSocket
      socket.accept()
    } catch (error) {
      if (this.store.get(id)?.state === 'closing') this.store.setState(id, 'closed')
      else this.store.setState(id, 'error', error instanceof Error ? error.message : String(error))
      return
    }
    if (this.store.get(id)?.state !== 'connecting') {
      socket.close(1000, 'closed by the agent')
      return this.store.setState(id, 'closed')
    }
    this.sockets.set(id, socket)
    socket.addEventListener('message', (event) => {
      const text = typeof event.data === 'string'
      this.store.push(id, 'in', { data: text ? new TextEncoder().encode(event.data as string) : new Uint8Array(event.data as ArrayBuffer), text })
    })
    socket.addEventListener('close', (event) => {
      this.sockets.delete(id)
      if (this.store.get(id)?.state !== 'error') this.store.setState(id, 'closed', event.code === 1000 || event.code === 1005 ? undefined : `closed with ${event.code} ${event.reason}`.trim())
    })
    socket.addEventListener('error', (event) => {
      this.sockets.delete(id)
      this.store.setState(id, 'error', (event as ErrorEvent).message || 'WebSocket error')
    })
    this.store.setState(id, 'open')
    // What the agent wrote while the connection opened goes out first, in order.
    for (let m = this.store.pop(id, 'out'); m; m = this.store.pop(id, 'out')) sendOn(socket, m)
  }
}

function sendOn(socket: WebSocket, message: Message): void {
  socket.send(message.text ? new TextDecoder().decode(message.data) : message.data)
}

/** A FileService over agent `agent`'s /cap/ws object, for code inside the platform (no HTTP auth). */
export function edgeWsFs(ws: DurableObjectNamespace<EdgeWsFs>, agent: string): EdgeFs {
  const stub = ws.get(ws.idFromName(agent))
  return new EdgeFs('https://ws.internal/cap/ws', { fetch: (request) => stub.fetch(request) })
}
