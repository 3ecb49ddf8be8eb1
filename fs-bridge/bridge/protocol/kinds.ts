/** The fs-bridge's event kinds and the limits every message meets (fs-bridge/PROTOCOL.md). */

export const REQUEST_KIND = 25930
export const RESPONSE_KIND = 25931
export const NOTIFICATION_KIND = 25932
/** Reserved for mount manifests and snapshots; the bridge does not publish them yet. */
export const MANIFEST_KIND = 35930
export const GRANT_KIND = 35931

export const PROTOCOL_VERSION = 1

/** Seconds a request's created_at may lie from the bridge's clock, either way. */
export const CLOCK_SKEW = 60
/** Seconds a response or notification stays valid (its NIP-40 expiration). */
export const ANSWER_TTL = 60

/**
 * Raw bytes of inline data per event: 32 KiB once base64-encoded. Larger bodies travel as blobs.
 * (32 KiB raw, as the draft had it, becomes ~65.6K characters after base64 and NIP-44 padding,
 * just over the 64 KiB content limit most relays keep.)
 */
export const INLINE_MAX = 24 * 1024
export const INLINE_MAX_B64 = 32 * 1024
/** Largest body the bridge moves through the blob store. */
export const BLOB_MAX = 32 * 1024 * 1024
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
