/** MemFs: a read-write tree in memory, the reference semantics the other services follow. */
import { FsError } from '../../fs/error'
import { BufferedHandle, concatBytes } from '../../fs/handle'
import { base64ToBytes, bytesToBase64 } from '../../fs/io'
import { isUnder, joinPath, normalizePath, segments } from '../../fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags, WatchOptions } from '../../fs/types'
import { Watchers } from '../../fs/watchers'

interface FileNode {
  kind: 'file'
  data: Uint8Array
  modified: number
  version: string
}

interface DirNode {
  kind: 'dir'
  children: Map<string, Node>
  modified: number
  version: string
}

type Node = FileNode | DirNode

/** The tree as plain data: file contents base64, for snapshots (FileServiceDO persists these). */
export interface MemSnapshot {
  clock: number
  files: Record<string, string | null>
}

const now = () => Math.floor(Date.now() / 1000)

export class MemFs implements FileService {
  private clock = 0
  private readonly root: DirNode = { kind: 'dir', children: new Map(), modified: now(), version: '0' }
  private readonly watchers = new Watchers()

  /** A MemFs holding `files` (path → content); parent directories are created. */
  static from(files: Record<string, string | Uint8Array>): MemFs {
    const fs = new MemFs()
    for (const [path, content] of Object.entries(files)) fs.putFile(path, typeof content === 'string' ? new TextEncoder().encode(content) : content)
    return fs
  }

  private nextVersion(): string {
    return String(++this.clock)
  }

  private touch(node: Node): void {
    node.modified = now()
    node.version = this.nextVersion()
  }

  private lookup(path: string): Node | undefined {
    let node: Node = this.root
    for (const name of segments(path)) {
      if (node.kind !== 'dir') throw new FsError('not-a-directory', 'a parent is a file', path)
      const child = node.children.get(name)
      if (!child) return undefined
      node = child
    }
    return node
  }

  private existing(path: string): Node {
    const node = this.lookup(path)
    if (!node) throw new FsError('not-found', 'no such file or directory', path)
    return node
  }

  /** The directory that holds `path`, and the name in it. */
  private parent(path: string): { dir: DirNode; name: string } {
    const parts = segments(path)
    if (parts.length === 0) throw new FsError('permission-denied', 'the root cannot be replaced', path)
    const name = parts.pop()!
    const dir = this.existing('/' + parts.join('/'))
    if (dir.kind !== 'dir') throw new FsError('not-a-directory', 'parent is a file', path)
    return { dir, name }
  }

  private addChild(dir: DirNode, name: string, node: Node): void {
    dir.children.set(name, node)
    this.touch(dir)
  }

  private putFile(path: string, data: Uint8Array): void {
    const parts = segments(path)
    let dir = this.root
    for (const name of parts.slice(0, -1)) {
      let next = dir.children.get(name)
      if (!next) this.addChild(dir, name, (next = { kind: 'dir', children: new Map(), modified: now(), version: this.nextVersion() }))
      if (next.kind !== 'dir') throw new FsError('not-a-directory', 'a parent is a file', path)
      dir = next
    }
    this.addChild(dir, parts[parts.length - 1], { kind: 'file', data, modified: now(), version: this.nextVersion() })
  }

  private emit(change: Change): void {
    if (this.watchers.size > 0) this.watchers.emit(change)
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    let node = this.lookup(path)
    if (node && flags.create && flags.exclusive) throw new FsError('exists', 'file exists', path)
    if (!node) {
      if (!flags.create) throw new FsError('not-found', 'no such file', path)
      const { dir, name } = this.parent(path)
      node = { kind: 'file', data: new Uint8Array(0), modified: now(), version: this.nextVersion() }
      this.addChild(dir, name, node)
      this.emit({ type: 'create', path, size: 0, version: node.version })
    }
    if (node.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
    const file = node
    const stored = () => {
      this.touch(file)
      this.emit({ type: 'modify', path, size: file.data.length, version: file.version })
    }
    return new BufferedHandle(
      {
        load: async () => file.data,
        store: async (content) => {
          file.data = content
          stored()
        },
        append: async (data) => {
          file.data = concatBytes([file.data, data])
          stored()
        },
      },
      flags,
      path,
    )
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const node = this.existing(path)
    if (node.kind !== 'dir') throw new FsError('not-a-directory', 'not a directory', path)
    return [...node.children].map(([name, child]) => entry(name, child)).sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async stat(path: string): Promise<Metadata> {
    const node = this.existing(normalizePath(path))
    return { kind: node.kind, size: sizeOf(node), modified: node.modified, version: node.version, readonly: false }
  }

  async mkdir(path: string): Promise<void> {
    path = normalizePath(path)
    const { dir, name } = this.parent(path)
    if (dir.children.has(name)) throw new FsError('exists', 'already exists', path)
    const node: DirNode = { kind: 'dir', children: new Map(), modified: now(), version: this.nextVersion() }
    this.addChild(dir, name, node)
    this.emit({ type: 'create', path, version: node.version })
  }

  async remove(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    path = normalizePath(path)
    const { dir, name } = this.parent(path)
    const node = dir.children.get(name)
    if (!node) throw new FsError('not-found', 'no such file or directory', path)
    if (node.kind === 'dir' && node.children.size > 0 && !options.recursive) throw new FsError('not-empty', 'directory not empty', path)
    dir.children.delete(name)
    this.touch(dir)
    this.emit({ type: 'delete', path })
  }

  async rename(from: string, to: string): Promise<void> {
    from = normalizePath(from)
    to = normalizePath(to)
    if (from === to) return void this.existing(from)
    if (isUnder(to, from)) throw new FsError('invalid-path', 'cannot move a directory into itself', to)
    const source = this.parent(from)
    const node = source.dir.children.get(source.name)
    if (!node) throw new FsError('not-found', 'no such file or directory', from)
    const target = this.parent(to)
    const replaced = target.dir.children.get(target.name)
    if (replaced?.kind === 'dir' && node.kind === 'file') throw new FsError('is-a-directory', 'target is a directory', to)
    if (replaced?.kind === 'file' && node.kind === 'dir') throw new FsError('not-a-directory', 'target is a file', to)
    if (replaced?.kind === 'dir' && replaced.children.size > 0) throw new FsError('not-empty', 'target directory not empty', to)
    source.dir.children.delete(source.name)
    this.touch(source.dir)
    this.addChild(target.dir, target.name, node)
    this.emit({ type: 'rename', path: from, to })
  }

  watch(path: string, onChange: (change: Change) => void, options?: WatchOptions): () => void {
    return this.watchers.add(normalizePath(path), onChange, options)
  }

  snapshot(): MemSnapshot {
    const files: Record<string, string | null> = {}
    const walk = (dir: DirNode, path: string) => {
      for (const [name, node] of dir.children) {
        const child = joinPath(path, name)
        if (node.kind === 'dir') {
          files[child] = null
          walk(node, child)
        } else files[child] = bytesToBase64(node.data)
      }
    }
    walk(this.root, '/')
    return { clock: this.clock, files }
  }

  static fromSnapshot(snapshot: MemSnapshot): MemFs {
    const fs = new MemFs()
    for (const [path, data] of Object.entries(snapshot.files)) {
      if (data === null) {
        const { dir, name } = fs.parent(path)
        if (!dir.children.has(name)) fs.addChild(dir, name, { kind: 'dir', children: new Map(), modified: now(), version: fs.nextVersion() })
      } else fs.putFile(path, base64ToBytes(data))
    }
    fs.clock = Math.max(fs.clock, snapshot.clock)
    return fs
  }
}

function sizeOf(node: Node): number {
  return node.kind === 'file' ? node.data.length : node.children.size
}

function entry(name: string, node: Node): DirEntry {
  return { name, kind: node.kind, size: sizeOf(node) }
}
