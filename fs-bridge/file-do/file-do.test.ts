import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject, SELF } from 'cloudflare:test'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { FsError } from '../../sdk/fs/error'
import { readText, writeFile } from '../../sdk/fs/io'
import { SecretKeySigner } from '../../sdk/nostr/signer'
import { EdgeFs } from '../../sdk/services/edge'
import { httpAuthHeader } from '../../sdk/services/edge/nip98'
import { describeFileService } from '../../sdk/testing/file-service-suite'
import { ORIGIN } from '../testing/auth'
import { fileServiceFs } from '.'

const sk = generateSecretKey()
const signer = new SecretKeySigner(sk)
const ownNamespace = () => `${signer.pubkey}:${crypto.randomUUID()}`
const overHttp = (namespace: string, fetch: (r: Request) => Promise<Response> = (r) => SELF.fetch(r)) =>
  new EdgeFs(`${ORIGIN}/files/${namespace}`, { signer, fetch })
const stubOf = (namespace: string) => env.FILES.get(env.FILES.idFromName(namespace))

describeFileService('FileServiceDO through EdgeFs over HTTP with NIP-98', async () => ({ fs: overHttp(ownNamespace()), root: '/' }))
describeFileService('FileServiceDO through its stub, as the bridge mounts it', async () => ({ fs: fileServiceFs(env.FILES, crypto.randomUUID()), root: '/' }))

describe('FileServiceDO', () => {
  it('keeps its tree across eviction', async () => {
    const namespace = crypto.randomUUID()
    const fs = fileServiceFs(env.FILES, namespace)
    await fs.mkdir('/dir')
    await writeFile(fs, '/dir/a.txt', 'alpha')
    await writeFile(fs, '/b.bin', new Uint8Array([0, 1, 254, 255]))
    await fs.rename('/dir', '/moved')
    await evictDurableObject(stubOf(namespace))
    expect(await readText(fs, '/moved/a.txt')).toBe('alpha')
    expect(await fs.readdir('/')).toEqual([
      { name: 'b.bin', kind: 'file', size: 4 },
      { name: 'moved', kind: 'dir', size: 1 },
    ])
    await expect(fs.stat('/dir')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('backs its tree up to D1 and restores it when the object starts empty', async () => {
    const namespace = crypto.randomUUID()
    const fs = fileServiceFs(env.FILES, namespace)
    await fs.mkdir('/empty')
    await fs.mkdir('/notes')
    await writeFile(fs, '/notes/today.md', 'restore me')
    const stub = stubOf(namespace)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    const row = await env.DB.prepare('SELECT data FROM namespaces WHERE id = ?').bind(namespace).first<{ data: string }>()
    expect(Object.keys(JSON.parse(row!.data).files).sort()).toEqual(['/empty', '/notes', '/notes/today.md'])

    await runInDurableObject(stub, (_, state) => state.storage.deleteAll())
    await evictDurableObject(stub)
    // A fresh instance finds its storage empty (its constructor makes the tables again).
    expect(await runInDurableObject(stub, (_, state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM entries').one().n)).toBe(0)

    expect(await readText(fs, '/notes/today.md')).toBe('restore me')
    expect((await fs.stat('/empty')).kind).toBe('dir')
    await writeFile(fs, '/after.txt', 'new')
    await evictDurableObject(stub)
    expect(await readText(fs, '/after.txt')).toBe('new')
  })

  it('reads by byte range, so a seek fetches only what is read', async () => {
    const ranges: string[] = []
    const fs = overHttp(ownNamespace(), (r) => {
      if (r.url.includes('/read/')) ranges.push(r.headers.get('Range') ?? 'whole')
      return SELF.fetch(r)
    })
    const data = new Uint8Array(200_000).map((_, i) => (i * 2654435761) >>> 24)
    await writeFile(fs, '/big.bin', data)
    const handle = await fs.open('/big.bin', { read: true })
    for (const offset of [150_000, 7, 199_990, 65_536]) {
      await handle.seek(offset)
      expect(await handle.read(16)).toEqual(data.slice(offset, offset + 16))
    }
    await handle.close()
    expect(ranges).toEqual(['bytes=150000-150015', 'bytes=7-22', 'bytes=199990-199999', 'bytes=65536-65551'])
  })

  it('refuses a full namespace with too-large and changes nothing', async () => {
    const fs = fileServiceFs(env.FILES, crypto.randomUUID())
    await writeFile(fs, '/a', new Uint8Array(1_000_000))
    await expect(writeFile(fs, '/b', new Uint8Array(400_000))).rejects.toMatchObject({ code: 'too-large' })
    // Opening created /b, as it does everywhere; the refused write left it empty.
    expect((await fs.stat('/b')).size).toBe(0)
    await writeFile(fs, '/a', new Uint8Array(10))
    await writeFile(fs, '/b', new Uint8Array(400_000))
  })
})

describe('the /files routes', () => {
  const namespace = ownNamespace()
  const url = `${ORIGIN}/files/${namespace}/stat?path=%2F`
  const header = (tags: string[][], createdAt = Math.floor(Date.now() / 1000)) =>
    `Nostr ${btoa(JSON.stringify(finalizeEvent({ kind: 27235, created_at: createdAt, content: '', tags }, sk)))}`
  const status = async (res: Promise<Response>) => (await res).status

  it('serve the owner with a valid NIP-98 event', async () => {
    expect(await status(SELF.fetch(url, { headers: { Authorization: await httpAuthHeader(signer, url, 'GET') } }))).toBe(200)
  })

  it('refuse a missing event, a wrong URL, a wrong method and a stale time', async () => {
    expect(await status(SELF.fetch(url))).toBe(401)
    expect(await status(SELF.fetch(url, { headers: { Authorization: header([['u', url.replace('%2F', '%2Fx')], ['method', 'GET']]) } }))).toBe(401)
    expect(await status(SELF.fetch(url, { headers: { Authorization: header([['u', url], ['method', 'POST']]) } }))).toBe(401)
    expect(await status(SELF.fetch(url, { headers: { Authorization: header([['u', url], ['method', 'GET']], Math.floor(Date.now() / 1000) - 120) } }))).toBe(401)
  })

  it('refuse a replayed event and a namespace of another key', async () => {
    const write = `${ORIGIN}/files/${namespace}/write/once.txt?append=1`
    const body = new TextEncoder().encode('+')
    const create = `${ORIGIN}/files/${namespace}/write/once.txt?create=1`
    expect(await status(SELF.fetch(create, { method: 'PUT', headers: { Authorization: await httpAuthHeader(signer, create, 'PUT') } }))).toBe(200)
    const fresh = await httpAuthHeader(signer, write, 'PUT', body)
    expect(await status(SELF.fetch(write, { method: 'PUT', headers: { Authorization: fresh }, body }))).toBe(200)
    const replay = await SELF.fetch(write, { method: 'PUT', headers: { Authorization: fresh }, body })
    expect(replay.status).toBe(403)
    expect(await readText(overHttp(namespace), '/once.txt')).toBe('+')

    const other = new SecretKeySigner(generateSecretKey())
    const foreign = new EdgeFs(`${ORIGIN}/files/${namespace}`, { signer: other, fetch: (r) => SELF.fetch(r) })
    const error = await foreign.stat('/').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FsError)
    expect((error as FsError).code).toBe('permission-denied')
  })
})
