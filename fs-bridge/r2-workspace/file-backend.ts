/**
 * One R2 object behind a RangedHandle: range reads (pinned to the object's etag, so a file that
 * changes while open reads as `conflict`, not as a mix), and writes published as one object on
 * flush: a single put when small, else a multipart upload whose parts go up as the handle fills
 * (fixed-size parts, as R2 requires), completed on flush and aborted on failure.
 */
import { FsError, toFsError } from '../../sdk/fs/error'
import { Extents } from '../../sdk/services/edge/extents'
import type { Commit, RangedBackend } from '../../sdk/services/edge/ranged-handle'

/** R2's smallest part (all but the last part of an upload must be this size or more, and equal). */
export const MIN_PART_SIZE = 5 << 20

export class R2FileBackend implements RangedBackend {
  private etag: string
  private size: number
  private upload?: R2MultipartUpload
  private parts: R2UploadedPart[] = []
  private sealedEnd = 0

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    base: R2Object,
    private readonly partSize: number,
    private readonly path: string,
  ) {
    this.etag = base.etag
    this.size = base.size
  }

  async readBase(offset: number, length: number): Promise<Uint8Array> {
    length = Math.min(length, this.size - offset)
    if (length <= 0) return new Uint8Array(0)
    const object = await this.bucket.get(this.key, { range: { offset, length }, onlyIf: { etagMatches: this.etag } })
    if (object === null) throw new FsError('not-found', 'the file was removed while open', this.path)
    if (!('body' in object)) throw new FsError('conflict', 'the file changed while open', this.path)
    return new Uint8Array(await object.arrayBuffer())
  }

  sealed(): number {
    return this.sealedEnd
  }

  /** Sends every complete part the extents hold from where the upload stands. */
  async afterWrite(extents: Extents): Promise<void> {
    while (extents.covers(this.sealedEnd, this.sealedEnd + this.partSize)) {
      await this.sendPart(extents.take(this.sealedEnd, this.sealedEnd + this.partSize))
      this.sealedEnd += this.partSize
    }
  }

  private async sendPart(bytes: Uint8Array): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key)
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, bytes))
  }

  /** Bytes [start, end) of the new content: the base (unless truncated) under the extents. */
  private async compose(change: Commit, start: number, end: number): Promise<Uint8Array> {
    const out = new Uint8Array(end - start)
    const baseEnd = change.truncated ? 0 : Math.min(end, this.size)
    if (start < baseEnd && !change.extents.covers(start, baseEnd)) out.set(await this.readBase(start, baseEnd - start))
    change.extents.overlay(start, out)
    return out
  }

  async commit(change: Commit): Promise<number> {
    let object: R2Object
    try {
      if (!this.upload && change.length <= this.partSize) {
        object = (await this.bucket.put(this.key, await this.compose(change, 0, change.length)))!
      } else {
        for (let start = this.sealedEnd; start < change.length; start += this.partSize) {
          await this.sendPart(await this.compose(change, start, Math.min(change.length, start + this.partSize)))
        }
        object = await this.upload!.complete(this.parts)
      }
    } catch (error) {
      throw toFsError(error, this.path)
    }
    this.upload = undefined
    this.parts = []
    this.sealedEnd = 0
    this.etag = object.etag
    this.size = object.size
    return object.size
  }

  /** Appends to the object as it is now (R2 objects are immutable: this rewrites it). */
  async append(data: Uint8Array): Promise<number> {
    const current = await this.bucket.head(this.key)
    if (!current) throw new FsError('not-found', 'the file was removed while open', this.path)
    this.etag = current.etag
    this.size = current.size
    const extents = new Extents()
    extents.write(current.size, data)
    try {
      return await this.commit({ extents, length: current.size + data.length, truncated: false })
    } catch (error) {
      await this.discard()
      throw error
    }
  }

  async discard(): Promise<void> {
    const upload = this.upload
    this.upload = undefined
    this.parts = []
    this.sealedEnd = 0
    await upload?.abort().catch(() => undefined)
  }
}
