/**
 * The journal as a file: a service whose root is one read-only file holding a namespace's latest
 * journal lines, mounted at /logs/audit.jsonl. It is never watched (reading it is journalled, so
 * a watcher would hear of its own reads); its etag is the id of its last entry.
 */
import { FsError } from '../../../sdk/fs/error'
import { BufferedHandle } from '../../../sdk/fs/handle'
import { toBytes } from '../../../sdk/fs/io'
import { normalizePath } from '../../../sdk/fs/path'
import type { DirEntry, FileHandle, FileService, Metadata, OpenFlags } from '../../../sdk/fs/types'
import { auditLine, type AuditRow } from './journal'

/** Lines the file shows; the HTTP API pages through everything. */
export const AUDIT_FILE_LINES = 1000

export class AuditFs implements FileService {
  constructor(private readonly rows: () => Promise<AuditRow[]>) {}

  private async content(): Promise<{ bytes: Uint8Array; version: string }> {
    const rows = await this.rows()
    return { bytes: toBytes(rows.map((r) => auditLine(r) + '\n').join('')), version: String(rows.at(-1)?.id ?? 0) }
  }

  private root(path: string): void {
    if (normalizePath(path) !== '/') throw new FsError('not-found', 'no such file', path)
  }

  async open(path: string, flags: OpenFlags): Promise<FileHandle> {
    this.root(path)
    if (flags.write || flags.create || flags.truncate || flags.append) throw new FsError('read-only', 'the journal is read-only', path)
    return new BufferedHandle({ load: async () => (await this.content()).bytes, store: async () => {} }, flags, path)
  }

  async readdir(path: string): Promise<DirEntry[]> {
    this.root(path)
    throw new FsError('not-a-directory', 'not a directory', path)
  }

  async stat(path: string): Promise<Metadata> {
    this.root(path)
    const { bytes, version } = await this.content()
    return { kind: 'file', size: bytes.length, modified: Math.floor(Date.now() / 1000), version, readonly: true }
  }

  async mkdir(path: string): Promise<void> {
    throw new FsError('read-only', 'the journal is read-only', path)
  }

  async remove(path: string): Promise<void> {
    throw new FsError('read-only', 'the journal is read-only', path)
  }

  async rename(from: string): Promise<void> {
    throw new FsError('read-only', 'the journal is read-only', from)
  }

  /** Watchable so that recursive watches above it work; it reports nothing. */
  watch(): () => void {
    return () => {}
  }
}
