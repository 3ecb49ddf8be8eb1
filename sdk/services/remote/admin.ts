/**
 * The fs-bridge's HTTP side, for what is not a file operation: its information document
 * (`GET /fs`: the key requests are encrypted to) and an owner creating or replacing a namespace
 * (`PUT /fs/namespaces/:id`, NIP-98).
 */
import { FsError } from '../../fs/error'
import type { Signer } from '../../nostr/signer'
import { httpAuthHeader } from '../edge/nip98'
import type { Fetch } from './blobs'
import { fsErrorOf, type WireError } from './protocol'

export interface BridgeInfo {
  pubkey: string
  protocol: number
  kinds: Record<string, number>
  ops: string[]
  inline_max: number
  blob_store: boolean
  services: string[]
  audit_path: string
  [field: string]: unknown
}

export interface MountSpec {
  path: string
  /** A service the bridge knows (`mem`, `files[:name]`, `workspace[:name]`, `logs`, `http`, `ws`). */
  service: string
  mode?: 'ro' | 'rw'
}

export interface RegisteredNamespace {
  id: string
  owner: string
  bridge: string
  mounts: Required<MountSpec>[]
  created: number
  updated: number
}

const defaultFetch: Fetch = (input, init) => fetch(input, init)
const trim = (origin: string) => origin.replace(/\/+$/, '')
/** ms an HTTP call to the bridge may take. */
const TIMEOUT = 15_000

/** The HTTP origin of the platform whose relay is at `relayUrl` (ws://host -> http://host): the bridge's API and the blob store. */
export const httpOriginOf = (relayUrl: string) => trim(relayUrl.replace(/^ws(s?):\/\//, 'http$1://'))

async function send(url: string, init: RequestInit, fetcher: Fetch): Promise<Response> {
  let res: Response
  try {
    res = await fetcher(url, { ...init, signal: AbortSignal.timeout(TIMEOUT) })
  } catch (err) {
    throw new FsError('unavailable', `${url}: ${err instanceof Error ? err.message : String(err)}`)
  }
  if (res.ok) return res
  const text = await res.text().catch(() => '')
  let error: WireError | undefined
  try {
    error = (JSON.parse(text) as { error?: WireError }).error
  } catch {
    // not JSON: the status says it
  }
  if (error && typeof error.code === 'string') throw fsErrorOf(error)
  throw new FsError(res.status >= 500 ? 'unavailable' : 'io', `${url}: HTTP ${res.status} ${text.slice(0, 200)}`)
}

/** The bridge's information document, from the platform at `origin` (http(s)://host). */
export async function bridgeInfo(origin: string, fetcher: Fetch = defaultFetch): Promise<BridgeInfo> {
  return (await (await send(`${trim(origin)}/fs`, { method: 'GET' }, fetcher)).json()) as BridgeInfo
}

/** Creates (or replaces, with other mounts) namespace `id`, owned by the signer's key. */
export async function putNamespace(origin: string, signer: Signer, id: string, mounts: MountSpec[], fetcher: Fetch = defaultFetch): Promise<RegisteredNamespace> {
  const url = `${trim(origin)}/fs/namespaces/${encodeURIComponent(id)}`
  const body = new TextEncoder().encode(JSON.stringify({ mounts }))
  const headers = { Authorization: await httpAuthHeader(signer, url, 'PUT', body), 'Content-Type': 'application/json' }
  return (await (await send(url, { method: 'PUT', headers, body }, fetcher)).json()) as RegisteredNamespace
}
