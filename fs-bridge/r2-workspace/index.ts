/**
 * R2WorkspaceFs: /workspace on R2, every namespace under its own key prefix. A file is the object
 * `<prefix>/<path>`; a directory is the empty marker `<prefix>/<path>/` (objects put under a path by
 * other tools also make it a directory). Reads are range reads, so seeks fetch only what is read;
 * large writes go up as a multipart upload while the handle fills (see file-backend.ts); `stat` is
 * a `head`; listings use the `/` delimiter. Renames copy and delete, so they are not atomic.
 */
import { FsError, toFsError } from '../../sdk/fs/error'
import { isUnder, normalizePath, parentOf } from '../../sdk/fs/path'
import type { DirEntry, FileHandle, FileService, Metadata, OpenFlags } from '../../sdk/fs/types'
import { RangedHandle } from '../../sdk/services/edge/ranged-handle'
import { MIN_PART_SIZE, R2FileBackend } from './file-backend'

export interface R2WorkspaceOptions {
  /** Bytes per multipart part (default and minimum on R2: 5 MiB). */
  partSize?: number
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000)

export class R2WorkspaceFs implements FileService {
  private readonly partSize: number

  /** `prefix` names the namespace's space in the bucket, e.g. `workspaces/<namespace>`. */
  constructor(
    private readonly bucket: R2Bucket,
    private readonly prefix: string,
    options: R2WorkspaceOptions = {},
  ) {
    if (!/^[^/]+(\/[^/]+)*$/.test(prefix)) throw new FsError('invalid-path', 'a prefix is non-empty segments joined by /', prefix)
    this.partSize = options.partSize ?? MIN_PART_SIZE
  }

  private fileKey(path: string): string {
    return this.prefix + path
  }

  private dirKey(path: string): string {
    return path === '/' ? this.prefix + '/' : this.prefix + path + '/'
  }

  /** What is at `path`: a file's object, a directory, or nothing. */
  private async lookup(path: string): Promise<{ kind: 'file'; object: R2Object } | { kind: 'dir'; marker: R2Object | null } | undefined> {
    if (path === '/') return { kind: 'dir', marker: null }
    const object = await this.bucket.head(this.fileKey(path))
    if (object) return { kind: 'file', object }
    const marker = await this.bucket.head(this.dirKey(path))
    if (marker) return { kind: 'dir', marker }
    const below = await this.bucket.list({ prefix: this.dirKey(path), limit: 1 })
    return below.objects.length > 0 || below.delimitedPrefixes.length > 0 ? { kind: 'dir', marker: null } : undefined
  }

  /** Refuses unless the parent of `path` is a directory. */
  private async parentDir(path: string): Promise<void> {
    const parent = await this.lookup(parentOf(path))
    if (!parent) throw new FsError('not-found', 'no such directory', parentOf(path))
    if (parent.kind !== 'dir') throw new FsError('not-a-directory', 'a parent is a file', path)
  }

  /** Every key under a directory (its marker included), page by page. */
  private async *keysUnder(path: string): AsyncGenerator<string> {
    let cursor: string | undefined
    do {
      const page = await this.bucket.list({ prefix: this.dirKey(path), cursor })
      for (const object of page.objects) yield object.key
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor)
  }

  private async deleteKeys(keys: Iterable<string> | AsyncIterable<string>): Promise<void> {
    const batch: string[] = []
    for await (const key of keys) {
      batch.push(key)
      if (batch.length === 1000) await this.bucket.delete(batch.splice(0))
    }
    if (batch.length > 0) await this.bucket.delete(batch)
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    path = normalizePath(path)
    try {
      let found = await this.lookup(path)
      if (found?.kind === 'dir') throw new FsError('is-a-directory', 'cannot open a directory', path)
      if (found && flags.create && flags.exclusive) throw new FsError('exists', 'file exists', path)
      if (!found) {
        if (!flags.create) throw new FsError('not-found', 'no such file', path)
        await this.parentDir(path)
        found = { kind: 'file', object: (await this.bucket.put(this.fileKey(path), new Uint8Array(0)))! }
      }
      const backend = new R2FileBackend(this.bucket, this.fileKey(path), found.object, this.partSize, path)
      return new RangedHandle(backend, flags, path, found.object.size)
    } catch (error) {
      throw toFsError(error, path)
    }
  }

  async readdir(path: string): Promise<DirEntry[]> {
    path = normalizePath(path)
    const found = await this.lookup(path)
    if (!found) throw new FsError('not-found', 'no such directory', path)
    if (found.kind !== 'dir') throw new FsError('not-a-directory', 'not a directory', path)
    const base = this.dirKey(path)
    const entries = new Map<string, DirEntry>()
    let cursor: string | undefined
    do {
      const page = await this.bucket.list({ prefix: base, delimiter: '/', cursor })
      for (const object of page.objects) {
        if (object.key !== base) entries.set(object.key.slice(base.length), { name: object.key.slice(base.length), kind: 'file', size: object.size })
      }
      for (const prefix of page.delimitedPrefixes) {
        const name = prefix.slice(base.length, -1)
        entries.set(name, { name, kind: 'dir', size: 0 })
      }
      cursor = page.truncated ? page.cursor : undefined
    } while (cursor)
    return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
  }

  async stat(path: string): Promise<Metadata> {
    path = normalizePath(path)
    const found = await this.lookup(path)
    if (!found) throw new FsError('not-found', 'no such file or directory', path)
    if (found.kind === 'file') {
      return { kind: 'file', size: found.object.size, modified: seconds(found.object.uploaded), version: found.object.version, readonly: false }
    }
    const marker = found.marker
    return { kind: 'dir', size: 0, modified: marker ? seconds(marker.uploaded) : 0, version: marker?.version ?? '0', readonly: false }
  }

  async mkdir(path: string): Promise<void> {
    path = normalizePath(path)
    if (await this.lookup(path)) throw new FsError('exists', 'already exists', path)
    await this.parentDir(path)
    await this.bucket.put(this.dirKey(path), new Uint8Array(0))
  }

  async remove(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    path = normalizePath(path)
    if (path === '/') throw new FsError('permission-denied', 'the root cannot be removed', path)
    const found = await this.lookup(path)
    if (!found) throw new FsError('not-found', 'no such file or directory', path)
    if (found.kind === 'file') return this.bucket.delete(this.fileKey(path))
    if (!options.recursive) {
      for await (const key of this.keysUnder(path)) if (key !== this.dirKey(path)) throw new FsError('not-empty', 'directory not empty', path)
    }
    await this.deleteKeys(this.keysUnder(path))
  }

  async rename(from: string, to: string): Promise<void> {
    from = normalizePath(from)
    to = normalizePath(to)
    const source = await this.lookup(from)
    if (!source) throw new FsError('not-found', 'no such file or directory', from)
    if (from === to) return
    if (from === '/' || isUnder(to, from)) throw new FsError('invalid-path', 'cannot move a directory into itself', to)
    await this.parentDir(to)
    const target = await this.lookup(to)
    if (target?.kind === 'dir' && source.kind === 'file') throw new FsError('is-a-directory', 'target is a directory', to)
    if (target?.kind === 'file' && source.kind === 'dir') throw new FsError('not-a-directory', 'target is a file', to)
    if (target?.kind === 'dir') {
      for await (const key of this.keysUnder(to)) if (key !== this.dirKey(to)) throw new FsError('not-empty', 'target directory not empty', to)
      await this.bucket.delete(this.dirKey(to))
    }
    if (source.kind === 'file') {
      await this.copy(this.fileKey(from), this.fileKey(to))
      return this.bucket.delete(this.fileKey(from))
    }
    const keys: string[] = []
    for await (const key of this.keysUnder(from)) keys.push(key)
    for (const key of keys) await this.copy(key, this.dirKey(to) + key.slice(this.dirKey(from).length))
    await this.deleteKeys(keys)
  }

  /** R2 has no server-side copy: small objects go across whole, large ones part by part. */
  private async copy(from: string, to: string): Promise<void> {
    const head = await this.bucket.head(from)
    if (!head) return void (await this.bucket.put(to, new Uint8Array(0)))
    if (head.size <= this.partSize) {
      const object = await this.bucket.get(from)
      return void (await this.bucket.put(to, await object!.arrayBuffer(), { httpMetadata: head.httpMetadata }))
    }
    const upload = await this.bucket.createMultipartUpload(to, { httpMetadata: head.httpMetadata })
    try {
      const parts: R2UploadedPart[] = []
      for (let offset = 0; offset < head.size; offset += this.partSize) {
        const part = await this.bucket.get(from, { range: { offset, length: Math.min(this.partSize, head.size - offset) }, onlyIf: { etagMatches: head.etag } })
        if (!part || !('body' in part)) throw new FsError('conflict', 'the file changed while it was moved', from)
        parts.push(await upload.uploadPart(parts.length + 1, await part.arrayBuffer()))
      }
      await upload.complete(parts)
    } catch (error) {
      await upload.abort().catch(() => undefined)
      throw error
    }
  }
}
