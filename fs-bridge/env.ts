/** Bindings and vars the edge file services use (wrangler.toml). */
import type { EdgeWsFs } from './ws-do'
import type { FileServiceDO } from './file-do'

export interface EdgeEnv {
  DB: D1Database
  /** Content-addressed blobs (blobs/). */
  BLOBS: R2Bucket
  /** Workspaces (r2-workspace/) and logs (edge-logs/), each under its own prefix. */
  WORKSPACE: R2Bucket
  /** The namespace registry (the fs-bridge's). */
  NAMESPACES: KVNamespace
  /** Task specs for fast reads (edge-task/). */
  TASKS: KVNamespace
  FILES: DurableObjectNamespace<FileServiceDO>
  EDGE_WS: DurableObjectNamespace<EdgeWsFs>
  /**
   * Comma-separated hosts (`host` or `host:port`) that /proxy and /cap/ws may reach although they are
   * private, loopback or link-local: for local development and tests only.
   */
  EDGE_ALLOW_HOSTS?: string
  /** `none` opens /proxy to callers without NIP-98 auth; anything else (the default) requires it. */
  PROXY_AUTH?: string
  /** Largest body /proxy passes through, in bytes (default 10 MiB). */
  PROXY_MAX_BYTES?: string
  /** How long /proxy waits for the origin, in milliseconds (default 30000). */
  PROXY_TIMEOUT_MS?: string
  /** Largest blob PUT /blobs/upload takes, in bytes (default 32 MiB). */
  BLOB_MAX_BYTES?: string
}
