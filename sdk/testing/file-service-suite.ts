/**
 * The behaviour every writable FileService shares, run against each implementation so that
 * they behave alike: MemFs, CowFs, a Namespace mount, and the edge services.
 */
import { describe, expect, it } from 'vitest'
import { FsError, type FsErrorCode } from '../fs/error'
import { readText, writeFile } from '../fs/io'
import type { FileService } from '../fs/types'

export interface SuiteTarget {
  fs: FileService
  /** Directory the suite may use; created by the factory, empty. */
  root: string
}

async function rejects(promise: Promise<unknown>, code: FsErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error, `expected ${code}`).toBeInstanceOf(FsError)
  expect((error as FsError).code).toBe(code)
}

export function describeFileService(name: string, make: () => Promise<SuiteTarget>): void {
  describe(`${name}: FileService behaviour`, () => {
    const at = (t: SuiteTarget, p: string) => (t.root === '/' ? p : t.root + p)

    it('creates, writes on flush, and reads back', async () => {
      const t = await make()
      const handle = await t.fs.open(at(t, '/a.txt'), { write: true, create: true })
      await handle.write('hello ')
      await handle.write(new TextEncoder().encode('world'))
      expect(await readText(t.fs, at(t, '/a.txt'))).toBe('')
      await handle.flush()
      expect(await readText(t.fs, at(t, '/a.txt'))).toBe('hello world')
      await handle.close()
      expect((await t.fs.stat(at(t, '/a.txt'))).size).toBe(11)
    })

    it('refuses to open what is missing without create, and exclusive create of what exists', async () => {
      const t = await make()
      await rejects(t.fs.open(at(t, '/missing'), { read: true }), 'not-found')
      await writeFile(t.fs, at(t, '/x'), '1')
      await rejects(t.fs.open(at(t, '/x'), { write: true, create: true, exclusive: true }), 'exists')
      const fresh = await t.fs.open(at(t, '/y'), { write: true, create: true, exclusive: true })
      await fresh.close()
      expect((await t.fs.stat(at(t, '/y'))).kind).toBe('file')
    })

    it('seeks, overwrites in place, and reads in pieces', async () => {
      const t = await make()
      await writeFile(t.fs, at(t, '/s'), 'abcdef')
      const handle = await t.fs.open(at(t, '/s'), { read: true, write: true })
      await handle.seek(2)
      await handle.write('XY')
      expect(handle.position()).toBe(4)
      await handle.seek(0)
      expect(new TextDecoder().decode(await handle.read(3))).toBe('abX')
      expect(new TextDecoder().decode(await handle.read())).toBe('Yef')
      expect((await handle.read()).length).toBe(0)
      await handle.close()
      expect(await readText(t.fs, at(t, '/s'))).toBe('abXYef')
    })

    it('truncates on open and appends at the end', async () => {
      const t = await make()
      await writeFile(t.fs, at(t, '/t'), 'long content')
      const truncating = await t.fs.open(at(t, '/t'), { write: true, truncate: true })
      await truncating.write('short')
      await truncating.close()
      expect(await readText(t.fs, at(t, '/t'))).toBe('short')
      const appending = await t.fs.open(at(t, '/t'), { write: true, append: true })
      await appending.write('+1')
      await appending.close()
      const other = await t.fs.open(at(t, '/t'), { write: true, append: true })
      await other.write('+2')
      await other.close()
      expect(await readText(t.fs, at(t, '/t'))).toBe('short+1+2')
    })

    it('changes the version when the content changes', async () => {
      const t = await make()
      await writeFile(t.fs, at(t, '/v'), 'one')
      const before = (await t.fs.stat(at(t, '/v'))).version
      await writeFile(t.fs, at(t, '/v'), 'two')
      expect((await t.fs.stat(at(t, '/v'))).version).not.toBe(before)
    })

    it('refuses reads on a write-only handle and writes on a read-only one', async () => {
      const t = await make()
      await writeFile(t.fs, at(t, '/p'), 'x')
      const reader = await t.fs.open(at(t, '/p'), { read: true })
      await rejects(reader.write('y'), 'permission-denied')
      await reader.close()
      const writer = await t.fs.open(at(t, '/p'), { write: true })
      await rejects(writer.read(), 'permission-denied')
      await writer.close()
    })

    it('makes, lists and removes directories', async () => {
      const t = await make()
      await t.fs.mkdir(at(t, '/d'))
      await rejects(t.fs.mkdir(at(t, '/d')), 'exists')
      await rejects(t.fs.mkdir(at(t, '/no/such')), 'not-found')
      await writeFile(t.fs, at(t, '/d/b'), 'bb')
      await writeFile(t.fs, at(t, '/d/a'), 'a')
      await t.fs.mkdir(at(t, '/d/sub'))
      expect(await t.fs.readdir(at(t, '/d'))).toEqual([
        { name: 'a', kind: 'file', size: 1 },
        { name: 'b', kind: 'file', size: 2 },
        expect.objectContaining({ name: 'sub', kind: 'dir' }),
      ])
      expect((await t.fs.stat(at(t, '/d'))).kind).toBe('dir')
      await rejects(t.fs.remove(at(t, '/d')), 'not-empty')
      await rejects(t.fs.open(at(t, '/d'), { read: true }), 'is-a-directory')
      await rejects(t.fs.readdir(at(t, '/d/a')), 'not-a-directory')
      await rejects(t.fs.open(at(t, '/d/a/inner'), { write: true, create: true }), 'not-a-directory')
      await t.fs.remove(at(t, '/d/a'))
      await rejects(t.fs.stat(at(t, '/d/a')), 'not-found')
      await t.fs.remove(at(t, '/d'), { recursive: true })
      await rejects(t.fs.stat(at(t, '/d')), 'not-found')
      await rejects(t.fs.remove(at(t, '/d')), 'not-found')
    })

    it('renames files and directories, replacing a file at the target', async () => {
      const t = await make()
      await t.fs.mkdir(at(t, '/r'))
      await writeFile(t.fs, at(t, '/r/one'), '1')
      await writeFile(t.fs, at(t, '/r/two'), '2')
      await t.fs.rename(at(t, '/r/one'), at(t, '/r/two'))
      expect(await readText(t.fs, at(t, '/r/two'))).toBe('1')
      await rejects(t.fs.stat(at(t, '/r/one')), 'not-found')
      await t.fs.rename(at(t, '/r'), at(t, '/moved'))
      expect(await readText(t.fs, at(t, '/moved/two'))).toBe('1')
      await rejects(t.fs.rename(at(t, '/moved'), at(t, '/moved/inside')), 'invalid-path')
      await rejects(t.fs.rename(at(t, '/nothing'), at(t, '/else')), 'not-found')
    })

    it('refuses paths that try to escape or are malformed', async () => {
      const t = await make()
      for (const bad of ['/../etc/passwd', '/a/../../b', '/a//b', '/./a', '/a\0b', 'relative']) {
        await rejects(t.fs.stat(bad.startsWith('/') ? at(t, bad) : bad), 'invalid-path')
      }
    })
  })
}
