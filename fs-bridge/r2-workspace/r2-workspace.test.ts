import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { FsError } from '../../sdk/fs/error'
import { readText, writeFile } from '../../sdk/fs/io'
import { describeFileService } from '../../sdk/testing/file-service-suite'
import { MIN_PART_SIZE } from './file-backend'
import { R2WorkspaceFs } from '.'

const workspace = (bucket: R2Bucket = env.WORKSPACE) => new R2WorkspaceFs(bucket, `workspaces/${crypto.randomUUID()}`)
const keyOf = (fs: R2WorkspaceFs, path: string) => `${(fs as unknown as { prefix: string }).prefix}${path}`

/** The workspace bucket, noting the multipart calls made through it. */
function recording(calls: string[]): R2Bucket {
  const bound = <T extends object>(target: T, prop: string | symbol) => {
    const value = Reflect.get(target, prop)
    return typeof value === 'function' ? value.bind(target) : value
  }
  const upload = (u: R2MultipartUpload) =>
    new Proxy(u, {
      get: (target, prop) =>
        prop === 'uploadPart' || prop === 'complete' || prop === 'abort'
          ? (...args: unknown[]) => (calls.push(prop), (target[prop] as (...a: unknown[]) => unknown)(...args))
          : bound(target, prop),
    })
  return new Proxy(env.WORKSPACE, {
    get: (target, prop) =>
      prop === 'createMultipartUpload'
        ? async (...args: Parameters<R2Bucket['createMultipartUpload']>) => (calls.push('create'), upload(await target.createMultipartUpload(...args)))
        : bound(target, prop),
  })
}

describeFileService('R2WorkspaceFs', async () => ({ fs: workspace(), root: '/' }))
describeFileService('R2WorkspaceFs in a subdirectory', async () => {
  const fs = workspace()
  await fs.mkdir('/sub')
  return { fs, root: '/sub' }
})

/** Deterministic bytes that differ at every offset a test might pick. */
function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size)
  let x = seed >>> 0
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    out[i] = x >>> 24
  }
  return out
}

describe('R2WorkspaceFs', () => {
  it('writes 20 MB in parts while the handle fills and reads it back at random offsets, byte-identical', async () => {
    const calls: string[] = []
    const fs = workspace(recording(calls))
    const data = pattern(20 * 1024 * 1024, 7)
    const handle = await fs.open('/big.bin', { write: true, create: true, truncate: true })
    for (let offset = 0; offset < data.length; offset += 1 << 20) await handle.write(data.subarray(offset, offset + (1 << 20)))
    // Every whole part went up as the handle filled; the file is unchanged until flush.
    expect(calls).toEqual(['create', 'uploadPart', 'uploadPart', 'uploadPart', 'uploadPart'])
    expect((await env.WORKSPACE.head(keyOf(fs, '/big.bin')))?.size).toBe(0)
    await handle.close()
    expect(calls.slice(5)).toEqual(['complete'])
    expect((await fs.stat('/big.bin')).size).toBe(data.length)

    const reader = await fs.open('/big.bin', { read: true })
    let seed = 1
    for (let i = 0; i < 40; i++) {
      seed = (Math.imul(seed, 48271) + 11) >>> 0
      const offset = seed % (data.length - 70_000)
      const size = 1 + (seed % 65_536)
      await reader.seek(offset)
      const got = await reader.read(size)
      expect(got.length).toBe(size)
      expect(got.every((b, j) => b === data[offset + j]), `at ${offset}`).toBe(true)
    }
    await reader.seek(data.length - 5)
    expect(await reader.read(100)).toEqual(data.slice(-5))
    await reader.close()
  }, 120_000)

  it('rewrites the middle of a large file in place and keeps the rest', async () => {
    const fs = workspace()
    const data = pattern(MIN_PART_SIZE + 1000, 3)
    await writeFile(fs, '/f', data)
    const handle = await fs.open('/f', { read: true, write: true })
    await handle.seek(MIN_PART_SIZE - 2)
    await handle.write('XYZW')
    await handle.close()
    const check = await fs.open('/f', { read: true })
    expect((await fs.stat('/f')).size).toBe(data.length)
    await check.seek(MIN_PART_SIZE - 4)
    const expected = data.slice(MIN_PART_SIZE - 4, MIN_PART_SIZE + 4)
    expected.set(new TextEncoder().encode('XYZW'), 2)
    expect(await check.read(8)).toEqual(expected)
    expect((await check.read()).length).toBe(data.length - MIN_PART_SIZE - 4)
    await check.close()
  }, 60_000)

  it('aborts the upload when a flush fails, and the file stays as it was', async () => {
    const calls: string[] = []
    const fs = workspace(recording(calls))
    const original = pattern(MIN_PART_SIZE + 1000, 5)
    await writeFile(fs, '/f', original)
    const handle = await fs.open('/f', { read: true, write: true })
    await handle.write(pattern(MIN_PART_SIZE, 6))
    expect(calls.slice(-2)).toEqual(['create', 'uploadPart'])
    // Bytes already uploaded cannot be read back or rewritten before the flush.
    await handle.seek(10)
    await expect(handle.read(4)).rejects.toMatchObject({ code: 'conflict' })
    await expect(handle.write('x')).rejects.toMatchObject({ code: 'conflict' })
    // Someone else replaces the file: the flush needs its old tail, so it fails, and aborts.
    await env.WORKSPACE.put(keyOf(fs, '/f'), 'replaced')
    await expect(handle.flush()).rejects.toMatchObject({ code: 'conflict' })
    expect(calls.at(-1)).toBe('abort')
    expect(await readText(fs, '/f')).toBe('replaced')
  }, 60_000)

  it('lists by delimiter, sizes files, and treats objects put by other tools as directories', async () => {
    const fs = workspace()
    const prefix = (fs as unknown as { prefix: string }).prefix
    await env.WORKSPACE.put(`${prefix}/imported/deep/file.txt`, 'from elsewhere')
    await writeFile(fs, '/top.txt', 'top')
    expect(await fs.readdir('/')).toEqual([
      { name: 'imported', kind: 'dir', size: 0 },
      { name: 'top.txt', kind: 'file', size: 3 },
    ])
    expect((await fs.stat('/imported/deep')).kind).toBe('dir')
    expect(await readText(fs, '/imported/deep/file.txt')).toBe('from elsewhere')
    await fs.rename('/imported', '/moved')
    expect(await readText(fs, '/moved/deep/file.txt')).toBe('from elsewhere')
    await expect(fs.stat('/imported')).rejects.toBeInstanceOf(FsError)
  })
})
