/** The blob store (fs-bridge/blobs) as the bridge's operations use it: bodies by sha256. */
import { FsError } from '../../sdk/fs/error'
import { BLOB_MAX } from '../../sdk/services/remote/protocol'
import { getBlob, putBlob } from '../blobs'
import type { BlobPort } from './ops'

export function blobPort(bucket: R2Bucket): BlobPort {
  return {
    put: async (bytes) => {
      const blob = await putBlob(bucket, bytes, 'application/octet-stream')
      return { x: blob.sha256, size: blob.size, url: blob.url }
    },
    get: async (x) => {
      const blob = await getBlob(bucket, x)
      if (!blob) return null
      if (blob.size > BLOB_MAX) {
        await blob.body.cancel()
        throw new FsError('too-large', `blob is larger than ${BLOB_MAX} bytes`)
      }
      return new Uint8Array(await new Response(blob.body).arrayBuffer())
    },
  }
}
