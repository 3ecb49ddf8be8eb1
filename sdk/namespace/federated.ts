/**
 * FederatedNamespace: one namespace whose mounts live in different places: services in this
 * process, namespaces served by fs-bridges (RemoteFs, over Nostr), edge file trees (EdgeFs, over
 * HTTP). It is a Namespace and routes as one, by longest path prefix, because Namespace already
 * keeps a failure to its mount: a remote mount that is down fails `unavailable` for its own paths
 * only, and listing a directory above mount points names them without asking them. What this adds
 * is building the remote mounts, one Nostr transport shared by every RemoteFs, and closing what
 * it opened.
 */
import type { FileService } from '../fs/types'
import type { WebSocketClass } from '../nostr/pool'
import type { Signer } from '../nostr/signer'
import { EdgeFs } from '../services/edge'
import { NostrFs } from '../services/nostr'
import { RemoteFs, type RemoteFsOptions } from '../services/remote'
import type { Fetch } from '../services/remote/blobs'
import { Namespace, type Mount, type MountMode } from '.'

export interface FederationOptions {
  /** Signs every request: Nostr events to bridges, NIP-98 headers to edge file APIs. */
  signer: Signer
  /** Relays the RemoteFs mounts send through; ignored when `nostr` is given. */
  relays?: string[]
  /** A NostrFs of the signer's to send through (e.g. the agent's /cap/nostr); made from `relays` when absent. */
  nostr?: NostrFs
  WebSocket?: WebSocketClass
  fetch?: Fetch
  /** ms each remote operation may take; see RemoteFs. */
  timeout?: number
}

export type RemoteMount = Pick<RemoteFsOptions, 'bridge' | 'ns' | 'blobs' | 'inlineMax'> & { mode?: MountMode }

type Planned =
  | { path: string; mode?: MountMode; service: FileService }
  | { path: string; mode?: MountMode; remote: RemoteMount }

export class FederatedNamespace extends Namespace {
  private constructor(
    mounts: Mount[],
    private readonly closers: Array<() => unknown>,
  ) {
    super(mounts)
  }

  static federation(options: FederationOptions): FederatedNamespaceBuilder {
    return new FederatedNamespaceBuilder(options, (mounts, closers) => new FederatedNamespace(mounts, closers))
  }

  /** Ends the remote mounts' waiting and the Nostr transport this namespace made. */
  async close(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) await close()
  }
}

export class FederatedNamespaceBuilder {
  private readonly planned: Planned[] = []

  constructor(
    private readonly options: FederationOptions,
    private readonly make: (mounts: Mount[], closers: Array<() => unknown>) => FederatedNamespace,
  ) {}

  /** A service of this process (MemFs, TaskFs, a NostrFs…), or any FileService already made. */
  mount(path: string, service: FileService, options: { mode?: MountMode } = {}): this {
    this.planned.push({ path, service, mode: options.mode })
    return this
  }

  /** Namespace `ns` served by the fs-bridge whose key is `bridge`, through the shared Nostr transport. */
  remote(path: string, remote: RemoteMount): this {
    this.planned.push({ path, remote, mode: remote.mode })
    return this
  }

  /** An edge file tree over HTTP (e.g. `https://host/files/<namespace>`), requests signed with NIP-98. */
  edge(path: string, baseUrl: string, options: { mode?: MountMode } = {}): this {
    const fetcher = this.options.fetch
    const service = new EdgeFs(baseUrl, { signer: this.options.signer, ...(fetcher ? { fetch: (r: Request) => fetcher(r.url, r) } : {}) })
    return this.mount(path, service, options)
  }

  async build(): Promise<FederatedNamespace> {
    const { signer, WebSocket, timeout, fetch } = this.options
    const closers: Array<() => unknown> = []
    let nostr = this.options.nostr
    if (!nostr && this.planned.some((p) => 'remote' in p)) {
      nostr = await NostrFs.create({ signer, relays: this.options.relays ?? [], ...(WebSocket ? { WebSocket } : {}) })
      closers.push(() => nostr!.close())
    }
    const builder = Namespace.builder()
    for (const p of this.planned) {
      let service: FileService
      if ('remote' in p) {
        const remote = new RemoteFs({ ...p.remote, nostr: nostr!, signer, ...(timeout ? { timeout } : {}), ...(fetch ? { fetch } : {}) })
        closers.push(() => remote.close())
        service = remote
      } else {
        service = p.service
      }
      builder.mount(p.path, service, p.mode ? { mode: p.mode } : {})
    }
    return this.make([...builder.build().mounts()], closers)
  }
}
