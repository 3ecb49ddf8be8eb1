/** Bindings and vars the fs-bridge uses (wrangler.toml). */
import type { FileServiceDO } from '../file-do'
import type { EdgeWsFs } from '../ws-do'
import type { FsBridgeDurableObject } from './bridge-do'

export interface BridgeEnv {
  DB: D1Database
  /** The relay: the bridge publishes answers and reads grants through its RPC. */
  RELAY: DurableObjectNamespace
  FS_BRIDGE: DurableObjectNamespace<FsBridgeDurableObject>
  /** The namespace registry (registry/kv.ts). */
  NAMESPACES?: KVNamespace
  /** The blob store (fs-bridge/blobs), for bodies too large for an event. */
  BLOBS?: R2Bucket
  /** FileServiceDO trees, mounted as `files` services. */
  FILES?: DurableObjectNamespace<FileServiceDO>
  /** R2 workspaces, mounted as `workspace` services. */
  WORKSPACE?: R2Bucket
  /** Per-pubkey /cap/ws objects, mounted as `ws` services. */
  EDGE_WS?: DurableObjectNamespace<EdgeWsFs>
  /** Hosts /cap/http may reach although private (local development and tests only). */
  EDGE_ALLOW_HOSTS?: string
  /** Hex secret key of the bridge; generated and kept in storage when unset (local development). */
  FS_BRIDGE_SECRET_KEY?: string
  /** Requests per second one pubkey may send, sustained, and the burst above it. */
  FS_RATE_PER_SECOND?: string
  FS_RATE_BURST?: string
  [key: string]: unknown
}

/** What the bridge needs of the relay's RPC interface. */
export interface RelayRpc {
  publish(event: object): Promise<{ accepted: boolean; message: string }>
  query(filter: Record<string, unknown>): Promise<Array<{ id: string; pubkey: string; kind: number; tags: string[][]; created_at: number; content: string; sig: string }>>
}

export const relayOf = (env: BridgeEnv): RelayRpc => env.RELAY.get(env.RELAY.idFromName('relay')) as unknown as RelayRpc

/** The bridge's object is named after its binding, as the relay names the handlers it calls. */
export const BRIDGE_NAME = 'FS_BRIDGE'
