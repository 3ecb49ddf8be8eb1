/**
 * RemoteFs: a namespace served by an fs-bridge, as a FileService. Every operation is a signed
 * request (25930, NIP-44 to the bridge) sent through NostrFs and answered through its inbox
 * (link.ts). Handles keep no state on the bridge (transfer.ts): they read byte ranges and publish
 * their writes on flush, conditional on the etag they read when the write depends on what they
 * read. Bodies larger than an event holds go through the blob store. Timeouts and a lost relay
 * are `unavailable`.
 */
import { isHex64 } from '../../dvm/kinds'
import { FsError } from '../../fs/error'
import { readJson } from '../../fs/io'
import { normalizePath } from '../../fs/path'
import type { Change, DirEntry, FileHandle, FileService, Metadata, OpenFlags } from '../../fs/types'
import type { Signer } from '../../nostr/signer'
import { NostrFs, type NostrFsOptions } from '../nostr'
import { httpOriginOf } from './admin'
import { BlobStore, type Fetch } from './blobs'
import { grantTemplate, type Allow } from './events'
import { BridgeLink } from './link'
import { decode, INLINE_MAX, isNamespaceId, metadataOf, pageOf, type Op } from './protocol'
import { readRange, remoteHandle, writeBody, type Transfer } from './transfer'
import { startWatch, type RemoteWatchOptions } from './watch'

export interface RemoteFsOptions {
  /** The bridge's public key (hex). */
  bridge: string
  /** The namespace id on the bridge. */
  ns: string
  /** NostrFs (or a FileService laid out like it) to send through, or the options to make one that this RemoteFs owns. */
  nostr: FileService | NostrFsOptions
  /** NostrFs's signer, when `nostr` is a NostrFs: it encrypts requests and signs blob uploads. */
  signer?: Signer
  /** The blob store's origin (default: the first relay's host, over HTTP); false for none. */
  blobs?: string | false
  fetch?: Fetch
  /** ms to wait for a relay and then for each answer; default 15 s. */
  timeout?: number
  /** Raw bytes of data per event, at most INLINE_MAX (24 KiB); lower it for relays with a small content limit. */
  inlineMax?: number
}

/** Times a grant the relay finds no newer than the stored one is tried again, a second later each time. */
const GRANT_ATTEMPTS = 3

interface Ready {
  link: BridgeLink
  blobs: BlobStore | null
}

const isService = (n: RemoteFsOptions['nostr']): n is FileService => typeof (n as FileService).open === 'function'

export class RemoteFs implements FileService {
  readonly bridge: string
  readonly ns: string
  private readonly inlineMax: number
  private setup?: Promise<Ready>
  private owned?: Promise<NostrFs>
  private closed = false
  private lastGrantAt = 0

  constructor(private readonly options: RemoteFsOptions) {
    if (!isHex64(options.bridge)) throw new TypeError('bridge must be a 64-character hex public key')
    if (!isNamespaceId(options.ns)) throw new TypeError('ns must be 1 to 63 letters, digits, ".", "_" or "-"')
    if (isService(options.nostr) && !options.signer) throw new TypeError('with a NostrFs given, give its signer too')
    this.bridge = options.bridge
    this.ns = options.ns
    this.inlineMax = Math.max(1, Math.min(options.inlineMax ?? INLINE_MAX, INLINE_MAX))
  }

  private ready(): Promise<Ready> {
    if (this.closed) return Promise.reject(new FsError('unavailable', 'the remote file service is closed'))
    this.setup ??= (async () => {
      const { nostr, timeout = 15_000 } = this.options
      let service: FileService
      let signer: Signer
      let relays: string[]
      if (isService(nostr)) {
        service = nostr
        signer = this.options.signer!
        relays = await readJson<{ relays?: string[] }>(service, '/status').then((s) => s.relays ?? [], () => [])
      } else {
        this.owned = NostrFs.create(nostr)
        service = await this.owned
        signer = nostr.signer
        relays = nostr.relays
      }
      const base = this.options.blobs === false ? undefined : (this.options.blobs ?? (relays[0] && httpOriginOf(relays[0])))
      return {
        link: new BridgeLink({ bridge: this.bridge, nostr: service, signer, timeout }),
        blobs: base ? new BlobStore(base.replace(/\/+$/, ''), signer, this.options.fetch, Math.max(timeout, 60_000)) : null,
      }
    })()
    return this.setup
  }

  private async call(op: Op, path: string, args: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    return (await this.ready()).link.request(op, this.ns, path, args)
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    return decode('stat', await this.call('stat', path), metadataOf, path)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const entries: DirEntry[] = []
    let cursor: string | undefined
    do {
      const page = decode('readdir page', await this.call('readdir', path, cursor === undefined ? {} : { cursor }), pageOf, path)
      entries.push(...page.entries)
      cursor = page.next
    } while (cursor !== undefined)
    return entries
  }

  async mkdir(path: string): Promise<void> {
    await this.call('mkdir', normalizePath(path))
  }

  async remove(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    await this.call('remove', normalizePath(path), options.recursive ? { recursive: true } : {})
  }

  async rename(from: string, to: string): Promise<void> {
    await this.call('rename', normalizePath(from), { to: normalizePath(to) })
  }

  /** What moves a file's bytes: the call, the blob store, the inline limit. */
  private async transfer(): Promise<Transfer> {
    const { blobs } = await this.ready()
    return { call: (op, path, args) => this.call(op, path, args), blobs, inlineMax: this.inlineMax }
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    const t = await this.transfer()
    if (flags.create) {
      const { size, etag } = await writeBody(t, path, new Uint8Array(0), { create: true, ...(flags.exclusive ? { exclusive: true } : {}) })
      return remoteHandle(t, path, flags, { size, version: etag })
    }
    if (flags.read && !flags.write && !flags.append && !flags.truncate) {
      // Reading only: the first range tells the size when it is the whole file, which saves a stat.
      const first = await readRange(t, path, 0, this.inlineMax)
      if (first.eof) return remoteHandle(t, path, flags, { size: first.bytes.length, version: first.etag, prefetched: first.bytes })
      return remoteHandle(t, path, flags, { size: (await this.stat(path)).size, version: first.etag })
    }
    const meta = await this.stat(path)
    if (meta.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
    return remoteHandle(t, path, flags, meta)
  }

  /** Changes under `path` as the bridge reports them (25932); see RemoteWatchOptions for gaps and errors. */
  watch(path: string, onChange: (change: Change) => void, options: RemoteWatchOptions = {}): () => void {
    path = normalizePath(path)
    let stop: (() => void) | undefined
    let stopped = false
    this.ready().then(
      ({ link }) => {
        if (!stopped) stop = startWatch(link, this.ns, path, onChange, options)
      },
      (err: unknown) => options.onError?.(FsError.is(err) ? err : new FsError('unavailable', String(err), path), true),
    )
    return () => {
      stopped = true
      stop?.()
    }
  }

  /**
   * As the namespace's owner: lets `grantee` use the paths `allow` names (a kind 35931 grant,
   * replacing any earlier one with the same id). Resolves to the grant's event id once a relay took it.
   */
  async grant(grantee: string, allow: Allow[], options: { id?: string; expiration?: number } = {}): Promise<string> {
    const { link } = await this.ready()
    // A grant replaces one of the same second only if its id sorts lower (NIP-01), so each goes a
    // second later than the last one made here, and one the relay finds no newer goes again a second on.
    let at = Math.max(Math.floor(Date.now() / 1000), this.lastGrantAt + 1)
    for (let attempt = 1; ; attempt++, at++) {
      this.lastGrantAt = at
      try {
        return await link.publish(grantTemplate({ grantee, ns: this.ns, allow, ...options }, at))
      } catch (err) {
        if (!FsError.is(err, 'conflict') || attempt === GRANT_ATTEMPTS) throw err
      }
    }
  }

  /** As the owner: takes back what an earlier grant (same id) gave `grantee`. */
  revoke(grantee: string, options: { id?: string } = {}): Promise<string> {
    return this.grant(grantee, [], options)
  }

  /** Stops waiting for answers; closes the NostrFs this RemoteFs made, if it made one. */
  async close(): Promise<void> {
    this.closed = true
    if (this.setup) (await this.setup.catch(() => null))?.link.close()
    if (this.owned) (await this.owned.catch(() => null))?.close()
  }
}

export { BlobStore } from './blobs'
export type { RemoteWatchOptions } from './watch'
export type { Allow } from './events'
