/**
 * The platform's blob store as the fs-bridge client uses it (fs-bridge/blobs, Blossom BUD-01/02):
 * bodies too large for an event go up with `PUT /blobs/upload` under a kind 24242 authorization,
 * and come down from the URL the bridge names, checked against their sha256.
 */
import { FsError } from '../../fs/error'
import { bytesToBase64 } from '../../fs/io'
import type { Signer } from '../../nostr/signer'
import { sha256Hex } from '../edge/nip98'
import { uploadAuthTemplate } from './events'
import { BLOB_MAX, type BlobRef } from './protocol'

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>

const seconds = () => Math.floor(Date.now() / 1000)

export class BlobStore {
  constructor(
    /** The platform's origin, e.g. `https://relay.example`. */
    readonly base: string,
    private readonly signer: Signer,
    private readonly fetcher: Fetch = (input, init) => fetch(input, init),
    /** ms an upload or download may take. */
    private readonly timeout = 60_000,
  ) {}

  private async send(url: string, init: RequestInit, path: string | undefined): Promise<Response> {
    let res: Response
    try {
      res = await this.fetcher(url, { ...init, signal: AbortSignal.timeout(this.timeout) })
    } catch (err) {
      throw new FsError('unavailable', `blob store: ${err instanceof Error ? err.message : String(err)}`, path)
    }
    if (res.ok) return res
    const reason = res.headers.get('X-Reason') ?? (await res.text().catch(() => '')).slice(0, 200)
    const code = res.status === 413 ? 'too-large' : res.status === 401 || res.status === 403 ? 'permission-denied' : res.status === 404 ? 'not-found' : res.status >= 500 ? 'unavailable' : 'io'
    throw new FsError(code, `blob store: HTTP ${res.status} ${reason}`, path)
  }

  /** Uploads `bytes` (content-addressed: the same bytes again are kept once). */
  async upload(bytes: Uint8Array, path?: string): Promise<BlobRef> {
    if (bytes.length > BLOB_MAX) throw new FsError('too-large', `bodies are at most ${BLOB_MAX} bytes`, path)
    const x = await sha256Hex(bytes)
    const auth = await this.signer.signEvent(uploadAuthTemplate(x, bytes.length, seconds()))
    const header = `Nostr ${bytesToBase64(new TextEncoder().encode(JSON.stringify(auth)))}`
    const res = await this.send(`${this.base}/blobs/upload`, {
      method: 'PUT', body: bytes as Uint8Array<ArrayBuffer>, headers: { Authorization: header, 'Content-Type': 'application/octet-stream' },
    }, path)
    const described = (await res.json()) as { sha256?: string; size?: number; url?: string }
    if (described.sha256 !== x) throw new FsError('io', 'blob store: stored the body under another hash', path)
    return { x, size: bytes.length, ...(described.url ? { url: described.url } : {}) }
  }

  /** The blob's bytes, refused unless they hash to `ref.x`. */
  async download(ref: BlobRef, path?: string): Promise<Uint8Array> {
    const url = new URL(ref.url ?? `/blobs/${ref.x}`, this.base + '/')
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FsError('io', `blob URL ${url.href} is not http(s)`, path)
    const bytes = new Uint8Array(await (await this.send(url.href, { method: 'GET' }, path)).arrayBuffer())
    if (bytes.length !== ref.size || (await sha256Hex(bytes)) !== ref.x) throw new FsError('io', `blob ${ref.x} does not match its hash`, path)
    return bytes
  }
}
