/**
 * Content-addressed blob store on R2 (Blossom BUD-01/BUD-02 shapes), shared by the fs-bridge and the DVMs.
 *
 * Exported API (others code against this; keep it stable):
 *   putBlob(bucket: R2Bucket, bytes: Uint8Array, contentType: string): Promise<BlobDescriptor>
 *   getBlob(bucket: R2Bucket, sha256: string, range?: R2Range): Promise<StoredBlob | null>
 *   headBlob(bucket: R2Bucket, sha256: string): Promise<BlobDescriptor | null>
 *   blobPath(sha256: string, contentType: string): string          // "/blobs/<sha256>.<ext>"
 *   extensionOf(contentType: string): string                       // "png", "jpg", … "bin"
 *   sha256Hex(bytes: Uint8Array): Promise<string>
 *   SHA256_HEX: RegExp
 *   interface BlobDescriptor { sha256: string; size: number; type: string; url: string; uploaded: number }
 *     (url is the path "/blobs/<sha256>.<ext>"; prefix it with the Worker's origin for an absolute URL)
 *   interface StoredBlob extends BlobDescriptor { body: ReadableStream<Uint8Array>; range?: { offset; length } }
 * Objects live in R2 (the BLOBS binding) under the key "<sha256>" with httpMetadata.contentType = type.
 * The same bytes stored again keep their first type. Routes: ./routes.ts (GET/HEAD /blobs/…, PUT /blobs/upload).
 */
import { sha256Hex } from '../../sdk/services/edge/nip98'

export { sha256Hex }

export interface BlobDescriptor {
  sha256: string
  size: number
  /** MIME type. */
  type: string
  /** Path of the blob on the platform's Worker: `/blobs/<sha256>.<ext>`. */
  url: string
  /** Unix seconds. */
  uploaded: number
}

export interface StoredBlob extends BlobDescriptor {
  body: ReadableStream<Uint8Array>
  /** The bytes `body` holds when a range was asked for. */
  range?: { offset: number; length: number }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'image/avif': 'avif', 'image/svg+xml': 'svg',
  'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'audio/wav': 'wav', 'video/mp4': 'mp4', 'video/webm': 'webm',
  'application/pdf': 'pdf', 'application/json': 'json', 'application/zip': 'zip', 'application/gzip': 'gz', 'application/wasm': 'wasm',
  'text/plain': 'txt', 'text/markdown': 'md', 'text/html': 'html', 'text/css': 'css', 'text/csv': 'csv', 'text/javascript': 'js',
}

/** The MIME type without parameters, lower-case; application/octet-stream when empty. */
export function baseType(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase() || 'application/octet-stream'
}

export function extensionOf(contentType: string): string {
  return EXTENSIONS[baseType(contentType)] ?? 'bin'
}

export function blobPath(sha256: string, contentType: string): string {
  return `/blobs/${sha256}.${extensionOf(contentType)}`
}

function describe(object: R2Object): BlobDescriptor {
  const type = object.httpMetadata?.contentType ?? 'application/octet-stream'
  return { sha256: object.key, size: object.size, type, url: blobPath(object.key, type), uploaded: Math.floor(object.uploaded.getTime() / 1000) }
}

/** Stores `bytes` under their sha256 (R2 checks the hash on arrival); the same bytes again are kept once. */
export async function putBlob(bucket: R2Bucket, bytes: Uint8Array, contentType: string): Promise<BlobDescriptor> {
  const sha256 = await sha256Hex(bytes)
  const existing = await bucket.head(sha256)
  if (existing) return describe(existing)
  const type = contentType.trim() || 'application/octet-stream'
  return describe(await bucket.put(sha256, bytes, { httpMetadata: { contentType: type }, sha256 }))
}

export async function headBlob(bucket: R2Bucket, sha256: string): Promise<BlobDescriptor | null> {
  if (!SHA256_HEX.test(sha256)) return null
  const object = await bucket.head(sha256)
  return object && describe(object)
}

/** The blob, or the part of it `range` names; null when there is no such blob. */
export async function getBlob(bucket: R2Bucket, sha256: string, range?: R2Range): Promise<StoredBlob | null> {
  if (!SHA256_HEX.test(sha256)) return null
  const object = await bucket.get(sha256, range ? { range } : undefined)
  if (!object) return null
  const part = range && (object.range as { offset?: number; length?: number } | undefined)
  const offset = part?.offset ?? 0
  return {
    ...describe(object),
    body: object.body,
    ...(range ? { range: { offset, length: part?.length ?? object.size - offset } } : {}),
  }
}
