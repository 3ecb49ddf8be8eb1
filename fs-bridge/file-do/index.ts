/**
 * FileServiceDO: one namespace's file tree (MemFs semantics) in a Durable Object, served over the
 * edge file API (EdgeFs is its client). The tree lives in the object's SQLite storage and is
 * backed up to D1 (`namespaces`) shortly after changes; an object that starts empty restores the
 * backup. Reached through the Worker's /files/<namespace>/ routes (NIP-98) or a stub.
 */
import { DurableObject } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { FsError } from '../../sdk/fs/error'
import { MemFs, type MemSnapshot } from '../../sdk/services/mem'
import { EdgeFs } from '../../sdk/services/edge'
import type { EdgeEnv } from '../env'
import { errorResponse, serveFileApi } from '../file-api'
import { SeenIds } from '../seen-ids'
import { entryCost, MAX_TREE_COST } from './quota'
import { namespaces } from './schema'
import { TreeStore } from './tree-store'

/** How long after a change the D1 backup runs, so bursts of changes make one backup. */
export const BACKUP_DELAY_MS = 2000

/** Set by the Worker on authorised requests: `<event id> <unix seconds until which it could be replayed>`. */
export const AUTH_EVENT_HEADER = 'X-Auth-Event'

/** Namespace ids: what fits a URL segment and a D1 key. */
export const NAMESPACE_ID = /^[A-Za-z0-9._:-]{1,128}$/

interface Loaded {
  fs: MemFs
  namespace: string
}

export class FileServiceDO extends DurableObject<EdgeEnv> {
  private readonly store: TreeStore
  private readonly seen: SeenIds
  private loading?: Promise<Loaded>
  /** Paths changed since the last save, reported by the tree's watcher. */
  private readonly changed = new Set<string>()

  constructor(ctx: DurableObjectState, env: EdgeEnv) {
    super(ctx, env)
    this.store = new TreeStore(ctx.storage)
    this.seen = new SeenIds(ctx.storage.sql)
  }

  async fetch(request: Request): Promise<Response> {
    const match = /^\/files\/([^/]+)\/(.*)$/.exec(new URL(request.url).pathname)
    try {
      if (!match) throw new FsError('invalid-path', 'expected /files/<namespace>/<operation>')
      this.refuseReplay(request.headers.get(AUTH_EVENT_HEADER))
      const { fs } = await this.tree(decodeURIComponent(match[1]))
      const response = await serveFileApi(fs, request, match[2], { ranges: true, admit: (path, size) => this.admit(fs, path, size) })
      await this.save(fs)
      return response
    } catch (error) {
      return errorResponse(error)
    }
  }

  /** Writes the tree to D1, where an emptied object finds it again. */
  async alarm(): Promise<void> {
    const namespace = this.store.namespace()
    if (namespace === undefined) return
    const { fs } = await this.tree(namespace)
    const data = JSON.stringify(fs.snapshot())
    const updatedAt = Date.now()
    await drizzle(this.env.DB)
      .insert(namespaces)
      .values({ id: namespace, data, updatedAt })
      .onConflictDoUpdate({ target: namespaces.id, set: { data, updatedAt } })
  }

  private refuseReplay(header: string | null): void {
    if (header === null) return
    const [id, until] = header.split(' ')
    if (!this.seen.claim(id, Math.floor(Date.now() / 1000), Number(until))) throw new FsError('permission-denied', 'this auth event was already used')
  }

  private tree(namespace: string): Promise<Loaded> {
    this.loading ??= this.load(namespace).catch((error) => {
      this.loading = undefined
      throw error
    })
    return this.loading.then((loaded) => {
      if (loaded.namespace !== namespace) throw new FsError('invalid-path', `this object serves namespace ${loaded.namespace}`)
      return loaded
    })
  }

  private async load(namespace: string): Promise<Loaded> {
    if (!NAMESPACE_ID.test(namespace)) throw new FsError('invalid-path', 'namespace ids are 1-128 of A-Z a-z 0-9 . _ : -')
    const stored = this.store.namespace()
    let fs: MemFs
    if (stored !== undefined) {
      fs = MemFs.fromSnapshot(this.store.load())
      namespace = stored
    } else {
      const [backup] = await drizzle(this.env.DB).select().from(namespaces).where(eq(namespaces.id, namespace))
      fs = backup ? MemFs.fromSnapshot(JSON.parse(backup.data) as MemSnapshot) : new MemFs()
      // Another request may have claimed the storage while D1 answered.
      if (this.store.namespace() === undefined) this.store.init(namespace, fs.snapshot())
    }
    fs.watch(
      '/',
      (change) => {
        this.changed.add(change.path)
        if (change.to !== undefined) this.changed.add(change.to)
      },
      { recursive: true },
    )
    return { fs, namespace }
  }

  private async admit(fs: MemFs, path: string, size: (current: number) => number | null): Promise<void> {
    const current = await fs.stat(path).catch(() => undefined)
    const before = current ? entryCost(path.length, current.kind === 'file' ? current.size : null) : 0
    const after = entryCost(path.length, size(current?.kind === 'file' ? current.size : 0))
    if (this.store.cost() - before + after > MAX_TREE_COST) throw new FsError('too-large', `a namespace holds at most ${MAX_TREE_COST} bytes of snapshot`, path)
  }

  private async save(fs: MemFs): Promise<void> {
    if (this.changed.size === 0) return
    const paths = [...this.changed]
    this.changed.clear()
    await this.store.resync(fs, paths)
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + BACKUP_DELAY_MS)
  }
}

/** A FileService over namespace `namespace`'s object, for code inside the platform (no HTTP auth). */
export function fileServiceFs(files: DurableObjectNamespace<FileServiceDO>, namespace: string): EdgeFs {
  const stub = files.get(files.idFromName(namespace))
  return new EdgeFs(`https://files.internal/files/${encodeURIComponent(namespace)}`, { fetch: (request) => stub.fetch(request) })
}
