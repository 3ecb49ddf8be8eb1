/**
 * The bridge's own limits and reserved paths (fs-bridge/PROTOCOL.md). The wire format itself
 * (kinds, version, clock skew, inline and blob sizes) is the SDK's: sdk/services/remote/protocol.ts.
 */

/** Bytes of JSON a readdir page may take, so the encrypted response stays under 64 KiB. */
export const PAGE_BUDGET = 32 * 1024
export const READDIR_DEFAULT_LIMIT = 500
export const READDIR_MAX_LIMIT = 1000

/** Seconds a watch lives unless renewed. */
export const WATCH_TTL = 3600
/** Watches one pubkey may hold at a time. */
export const WATCHES_PER_PUBKEY = 32

/** The journal as a file in every namespace: read-only, and readable by the owner only. */
export const AUDIT_PATH = '/logs/audit.jsonl'
/** Writes under this prefix act outside the namespace, so they need the control right. */
export const CONTROL_PREFIX = '/cap'
