/**
 * The /cap/ws tree as OANIX lays it out, over the Durable Object's state:
 *   control            write {"url"}|{"open"} to open conn-N, {"id"}|{"close"} to close; reads the last id opened
 *   status             {"connection_count","max_connections","connections":[…]}
 *   conns/<id>/url     conns/<id>/status   conns/<id>/out (one message per flush)   conns/<id>/in (each open takes one)
 * Its files are computed, so it is served without byte ranges. Closed connections can be removed.
 */
import { FsError } from '../../sdk/fs/error'
import { BufferedHandle } from '../../sdk/fs/handle'
import { toBytes } from '../../sdk/fs/io'
import { normalizePath, segments } from '../../sdk/fs/path'
import type { DirEntry, FileHandle, FileService, Metadata, OpenFlags } from '../../sdk/fs/types'
import type { ConnInfo, Message } from './conn-store'
import { parseControl } from './control'

export const MAX_CONNECTIONS = 16

/** What the tree needs of the object. */
export interface WsPort {
  conns(): ConnInfo[]
  conn(id: string): ConnInfo | undefined
  lastOpened(): string
  open(url: string): ConnInfo
  close(id: string): void
  send(id: string, message: Message): void
  /** Takes the oldest arrival, if any. */
  receive(id: string): Message | undefined
  /** Size of the oldest arrival (0 if none). */
  nextSize(id: string): number
  forget(id: string): void
}

type Node =
  | { kind: 'dir'; entries: () => DirEntry[] }
  | { kind: 'file'; read?: () => Uint8Array; size?: () => number; write?: (data: Uint8Array) => void }

const json = (value: unknown) => toBytes(JSON.stringify(value, null, 2))
const file = (name: string, size = 0): DirEntry => ({ name, kind: 'file', size })
const isLive = (c: ConnInfo) => c.state === 'connecting' || c.state === 'open' || c.state === 'closing'

export class WsTree implements FileService {
  constructor(private readonly port: WsPort) {}

  private status() {
    const conns = this.port.conns()
    return { connection_count: conns.filter(isLive).length, max_connections: MAX_CONNECTIONS, connections: conns.map((c) => c.id) }
  }

  private control(data: Uint8Array): void {
    const text = new TextDecoder().decode(data).trim()
    if (text === '') return
    const command = parseControl(text)
    if (command.op === 'close') {
      if (!this.port.conn(command.id)) throw new FsError('not-found', `no connection ${command.id}`)
      return this.port.close(command.id)
    }
    if (this.status().connection_count >= MAX_CONNECTIONS) throw new FsError('rate-limited', `at most ${MAX_CONNECTIONS} connections`)
    this.port.open(command.url)
  }

  private node(path: string): Node {
    const [top, id, leaf, ...rest] = segments(path)
    if (top === undefined) return { kind: 'dir', entries: () => [file('control', this.port.lastOpened().length), file('status'), { name: 'conns', kind: 'dir', size: 0 }] }
    if (top === 'control' && id === undefined) return { kind: 'file', read: () => toBytes(this.port.lastOpened()), write: (d) => this.control(d) }
    if (top === 'status' && id === undefined) return { kind: 'file', read: () => json(this.status()) }
    if (top !== 'conns') throw new FsError('not-found', 'no such file or directory', path)
    if (id === undefined) return { kind: 'dir', entries: () => this.port.conns().map((c) => ({ name: c.id, kind: 'dir', size: 0 })) }
    const conn = this.port.conn(id)
    if (!conn || rest.length > 0) throw new FsError('not-found', 'no such file or directory', path)
    switch (leaf) {
      case undefined:
        return { kind: 'dir', entries: () => [file('in', this.port.nextSize(id)), file('out'), file('status'), file('url', conn.url.length)] }
      case 'url':
        return { kind: 'file', read: () => toBytes(conn.url) }
      case 'status':
        return { kind: 'file', read: () => json(conn) }
      case 'out':
        return { kind: 'file', write: (data) => data.length > 0 && this.send(conn, data) }
      case 'in':
        return { kind: 'file', read: () => this.port.receive(id)?.data ?? new Uint8Array(0), size: () => this.port.nextSize(id) }
      default:
        throw new FsError('not-found', 'no such file or directory', path)
    }
  }

  private send(conn: ConnInfo, data: Uint8Array): void {
    if (conn.state !== 'open' && conn.state !== 'connecting') throw new FsError('io', `cannot send on a ${conn.state} connection`)
    let text = true
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data)
    } catch {
      text = false
    }
    this.port.send(conn.id, { data, text })
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    const node = this.node(path)
    if (node.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
    if (flags.create && flags.exclusive) throw new FsError('exists', 'file exists', path)
    if ((flags.write || flags.append || flags.truncate) && !node.write) throw new FsError('read-only', 'file is read-only', path)
    if (flags.read && !node.read) throw new FsError('permission-denied', 'file is write-only', path)
    // Read once, at open: opening `in` takes one message, as in OANIX.
    const content = node.read && flags.read ? node.read() : new Uint8Array(0)
    const write = node.write
    return new BufferedHandle({ load: async () => content, store: async (data) => write?.(data), append: async (data) => write?.(data) }, flags, path)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const node = this.node(path)
    if (node.kind !== 'dir') throw new FsError('not-a-directory', 'not a directory', path)
    return node.entries()
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    const node = this.node(path)
    const modified = Math.floor(Date.now() / 1000)
    if (node.kind === 'dir') return { kind: 'dir', size: 0, modified, version: '0', readonly: true }
    // Stat never takes from `in`: it reports the size of the message an open would take.
    const size = node.size ? node.size() : node.read ? node.read().length : 0
    return { kind: 'file', size, modified, version: String(modified), readonly: !node.write }
  }

  async mkdir(path: string): Promise<void> {
    throw new FsError('permission-denied', 'write {"url":…} to control to open a connection', normalizePath(path))
  }

  async remove(path: string): Promise<void> {
    path = normalizePath(path)
    const [top, id, leaf] = segments(path)
    const conn = top === 'conns' && id !== undefined && leaf === undefined ? this.port.conn(id) : undefined
    if (!conn) throw new FsError('permission-denied', 'only connections (conns/<id>) can be removed', path)
    if (isLive(conn)) throw new FsError('permission-denied', 'close the connection through control first', path)
    this.port.forget(id)
  }

  async rename(from: string, _to: string): Promise<void> {
    throw new FsError('permission-denied', 'connections cannot be renamed', normalizePath(from))
  }
}
