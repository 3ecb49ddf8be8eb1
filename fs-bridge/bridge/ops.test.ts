/** Every operation, over the relay, against each kind of mount the bridge can serve. */
import { env } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64, toText } from '../../sdk/fs/io'
import { INLINE_MAX } from '../../sdk/services/remote/protocol'
import { getBlob, putBlob } from '../blobs'
import { BridgeClient, uniqueNs } from './testing/client'

const blobs = () => (env as unknown as { BLOBS: R2Bucket }).BLOBS

describe.each(['mem', 'files', 'workspace'])('every op on a %s mount', (service) => {
  // A key and namespace per test, so that no test meets another's rate limit.
  let owner: BridgeClient
  let ns: string
  beforeEach(async () => {
    owner = await BridgeClient.open()
    ns = uniqueNs(service)
    await owner.createNamespace(ns, [{ path: '/w', service }, { path: '/ro', service, mode: 'ro' }])
  })
  afterEach(() => owner.close())

  it('writes with create, truncate, append, exclusive and offset, and reads back by range', async () => {
    expect(await owner.code('write', ns, '/w/f.txt', { data_b64: bytesToBase64(new TextEncoder().encode('x')) })).toBe('ENOENT')
    const first = await owner.write(ns, '/w/f.txt', 'hello')
    expect(first).toEqual({ size: 5, etag: expect.any(String) })
    expect(await owner.code('write', ns, '/w/f.txt', { create: true, exclusive: true })).toBe('EEXIST')
    expect(await owner.write(ns, '/w/f.txt', ' world', { append: true })).toMatchObject({ size: 11 })
    await owner.write(ns, '/w/f.txt', 'J', { offset: 0 })
    const whole = await owner.ok('read', ns, '/w/f.txt')
    expect(toText(base64ToBytes(whole.data_b64))).toBe('Jello world')
    expect(whole.eof).toBe(true)
    expect(await owner.readText(ns, '/w/f.txt', { offset: 6, count: 5 })).toBe('world')
    expect((await owner.ok('read', ns, '/w/f.txt', { offset: 0, count: 5 })).eof).toBe(false)
    expect(await owner.write(ns, '/w/f.txt', '', { truncate: true })).toMatchObject({ size: 0 })
  })

  it('compares etags on conditional writes; unconditional writes win last', async () => {
    const { etag } = await owner.write(ns, '/w/c.txt', 'one')
    expect((await owner.ok('stat', ns, '/w/c.txt')).etag).toBe(etag)
    const second = await owner.write(ns, '/w/c.txt', 'two', { truncate: true, if_match: etag })
    expect(second.etag).not.toBe(etag)
    expect(await owner.code('write', ns, '/w/c.txt', { data_b64: bytesToBase64(new TextEncoder().encode('three')), truncate: true, if_match: etag })).toBe('ECONFLICT')
    expect(await owner.readText(ns, '/w/c.txt')).toBe('two')
    expect(await owner.code('write', ns, '/w/missing.txt', { create: true, if_match: etag })).toBe('ECONFLICT')
    await owner.write(ns, '/w/c.txt', 'last')
    expect(await owner.readText(ns, '/w/c.txt')).toBe('last')
  })

  it('stats and lists, pages listings, and lists mount points at the root', async () => {
    await owner.write(ns, '/w/a', 'a')
    await owner.ok('mkdir', ns, '/w/list')
    for (const name of ['a', 'b', 'c']) await owner.write(ns, `/w/list/${name}`, name.repeat(3))
    await owner.ok('mkdir', ns, '/w/list/sub')
    expect((await owner.ok('readdir', ns, '/w/list')).entries).toEqual([
      { name: 'a', is_dir: false, size: 3 }, { name: 'b', is_dir: false, size: 3 }, { name: 'c', is_dir: false, size: 3 }, { name: 'sub', is_dir: true, size: expect.any(Number) },
    ])
    const page1 = await owner.ok('readdir', ns, '/w/list', { limit: 2 })
    expect(page1.entries.map((e: { name: string }) => e.name)).toEqual(['a', 'b'])
    const page2 = await owner.ok('readdir', ns, '/w/list', { limit: 2, cursor: page1.next_cursor })
    expect(page2.entries.map((e: { name: string }) => e.name)).toEqual(['c', 'sub'])
    expect(page2.next_cursor).toBeUndefined()
    expect(await owner.ok('stat', ns, '/w/list/a')).toMatchObject({ is_dir: false, size: 3, readonly: false, modified: expect.any(Number) })
    const root = (await owner.ok('readdir', ns, '/')).entries
    expect(root.map((e: { name: string }) => e.name)).toEqual(['logs', 'ro', 'w'])
    expect((await owner.ok('readdir', ns, '/logs')).entries).toEqual([{ name: 'audit.jsonl', is_dir: false, size: expect.any(Number) }])
    expect(await owner.code('readdir', ns, '/w/list/a')).toBe('ENOTDIR')
    expect(await owner.code('read', ns, '/w/list')).toBe('EISDIR')
  })

  it('makes directories with parents, renames, and removes recursively only when asked', async () => {
    expect(await owner.code('mkdir', ns, '/w/p/q/r')).toBe('ENOENT')
    await owner.ok('mkdir', ns, '/w/p/q/r', { parents: true })
    await owner.ok('mkdir', ns, '/w/p/q/r', { parents: true })
    expect(await owner.code('mkdir', ns, '/w/p')).toBe('EEXIST')
    await owner.write(ns, '/w/p/q/r/file', 'deep')
    await owner.ok('rename', ns, '/w/p/q/r/file', { to: '/w/p/moved' })
    expect(await owner.code('stat', ns, '/w/p/q/r/file')).toBe('ENOENT')
    expect(await owner.readText(ns, '/w/p/moved')).toBe('deep')
    expect(await owner.code('remove', ns, '/w/p')).toBe('ENOTEMPTY')
    await owner.ok('remove', ns, '/w/p', { recursive: true })
    expect(await owner.code('stat', ns, '/w/p')).toBe('ENOENT')
    await owner.write(ns, '/w/a', 'a')
    expect(await owner.code('rename', ns, '/w/a', { to: '/ro/a' })).toBe('EINVAL')
  })

  it('refuses every change on a read-only mount with EROFS', async () => {
    expect(await owner.code('write', ns, '/ro/x', { create: true })).toBe('EROFS')
    expect(await owner.code('mkdir', ns, '/ro/d')).toBe('EROFS')
    expect((await owner.ok('stat', ns, '/ro')).readonly).toBe(true)
  })

  it('moves bodies larger than an event through the blob store, both ways', async () => {
    const big = new Uint8Array(INLINE_MAX * 3).map((_, i) => (i * 7) % 251)
    const blob = await putBlob(blobs(), big, 'application/octet-stream')
    expect(await owner.ok('write', ns, '/w/big.bin', { blob: { x: blob.sha256, size: big.length }, create: true, truncate: true })).toMatchObject({ size: big.length })
    const read = await owner.ok('read', ns, '/w/big.bin')
    expect(read.data_b64).toBeUndefined()
    expect(read.blob).toMatchObject({ x: blob.sha256, size: big.length, url: expect.stringMatching(/^\/blobs\//) })
    const stored = await getBlob(blobs(), read.blob.x)
    expect(new Uint8Array(await new Response(stored!.body).arrayBuffer())).toEqual(big)
    // A range small enough travels inline.
    const part = await owner.ok('read', ns, '/w/big.bin', { offset: 10, count: 100 })
    expect(base64ToBytes(part.data_b64)).toEqual(big.slice(10, 110))
    expect(await owner.code('write', ns, '/w/none.bin', { blob: { x: 'f'.repeat(64), size: 3 }, create: true })).toBe('ENOENT')
    expect(await owner.code('write', ns, '/w/bad.bin', { blob: { x: blob.sha256, size: 3 }, create: true })).toBe('EINVAL')
  })
})
