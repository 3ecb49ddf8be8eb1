import { env, SELF } from 'cloudflare:test'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { ORIGIN } from '../testing/auth'
import { blobPath, getBlob, headBlob, putBlob, sha256Hex } from '.'

const sk = generateSecretKey()
const now = () => Math.floor(Date.now() / 1000)
const auth = (tags: string[][], createdAt = now() - 1) =>
  `Nostr ${btoa(JSON.stringify(finalizeEvent({ kind: 24242, created_at: createdAt, content: 'Upload blob', tags }, sk)))}`
const uploadAuth = (sha256: string, expiration = now() + 60) => auth([['t', 'upload'], ['x', sha256], ['expiration', String(expiration)]])
const upload = (body: Uint8Array, authorization: string | null, type = 'image/png') =>
  SELF.fetch(`${ORIGIN}/blobs/upload`, {
    method: 'PUT',
    body,
    headers: { 'Content-Type': type, ...(authorization ? { Authorization: authorization } : {}) },
  })
const unique = () => new TextEncoder().encode(`blob ${crypto.randomUUID()}`)

describe('blob store module', () => {
  it('stores bytes under their sha256 with their type, once', async () => {
    const bytes = unique()
    const sha256 = await sha256Hex(bytes)
    const blob = await putBlob(env.BLOBS, bytes, 'image/png')
    expect(blob).toMatchObject({ sha256, size: bytes.length, type: 'image/png', url: `/blobs/${sha256}.png` })
    expect(await putBlob(env.BLOBS, bytes, 'text/plain')).toMatchObject({ sha256, type: 'image/png' })
    expect(await headBlob(env.BLOBS, sha256)).toMatchObject({ sha256, size: bytes.length })
    const got = await getBlob(env.BLOBS, sha256)
    expect(new Uint8Array(await new Response(got!.body).arrayBuffer())).toEqual(bytes)
    expect(await getBlob(env.BLOBS, 'f'.repeat(64))).toBeNull()
    expect(blobPath(sha256, 'text/markdown; charset=utf-8')).toBe(`/blobs/${sha256}.md`)
    expect(blobPath(sha256, 'application/x-unknown')).toBe(`/blobs/${sha256}.bin`)
  })
})

describe('/blobs routes (Blossom)', () => {
  it('uploads with a kind 24242 event and serves GET and HEAD with type and length, any extension', async () => {
    const bytes = unique()
    const sha256 = await sha256Hex(bytes)
    const res = await upload(bytes, uploadAuth(sha256))
    expect(res.status).toBe(200)
    const descriptor = (await res.json()) as { url: string }
    expect(descriptor).toMatchObject({ sha256, size: bytes.length, type: 'image/png', url: `${ORIGIN}/blobs/${sha256}.png` })
    expect(typeof (descriptor as unknown as { uploaded: number }).uploaded).toBe('number')

    for (const name of [sha256, `${sha256}.png`, `${sha256}.pdf`]) {
      const get = await SELF.fetch(`${ORIGIN}/blobs/${name}`)
      expect(get.status).toBe(200)
      expect(get.headers.get('Content-Type')).toBe('image/png')
      expect(get.headers.get('Content-Length')).toBe(String(bytes.length))
      expect(new Uint8Array(await get.arrayBuffer())).toEqual(bytes)
    }
    const head = await SELF.fetch(`${ORIGIN}/blobs/${sha256}.png`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('Content-Length')).toBe(String(bytes.length))
    expect(head.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect((await SELF.fetch(`${ORIGIN}/blobs/${'0'.repeat(64)}`, { method: 'HEAD' })).status).toBe(404)
  })

  it('serves byte ranges', async () => {
    const bytes = new TextEncoder().encode(`0123456789 ${crypto.randomUUID()}`)
    const sha256 = await sha256Hex(bytes)
    await putBlob(env.BLOBS, bytes, 'text/plain')
    const part = await SELF.fetch(`${ORIGIN}/blobs/${sha256}.txt`, { headers: { Range: 'bytes=2-5' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('Content-Range')).toBe(`bytes 2-5/${bytes.length}`)
    expect(await part.text()).toBe('2345')
    const tail = await SELF.fetch(`${ORIGIN}/blobs/${sha256}`, { headers: { Range: 'bytes=-3' } })
    expect(await tail.text()).toBe(new TextDecoder().decode(bytes.slice(-3)))
    expect((await SELF.fetch(`${ORIGIN}/blobs/${sha256}`, { headers: { Range: `bytes=${bytes.length}-` } })).status).toBe(416)
  })

  it('refuses uploads without a valid event, for other bytes, expired or too large, and stores nothing', async () => {
    const bytes = unique()
    const sha256 = await sha256Hex(bytes)
    const refused = async (res: Promise<Response>, status: number, reason: RegExp) => {
      const r = await res
      expect(r.status).toBe(status)
      expect(r.headers.get('X-Reason')).toMatch(reason)
      expect(await r.json()).toMatchObject({ message: expect.stringMatching(reason) })
    }
    await refused(upload(bytes, null), 401, /missing/)
    await refused(upload(bytes, uploadAuth('a'.repeat(64))), 401, /x tag/)
    await refused(upload(bytes, uploadAuth(sha256, now() - 1)), 401, /expired/)
    await refused(upload(bytes, auth([['t', 'delete'], ['x', sha256], ['expiration', String(now() + 60)]])), 401, /t tag/)
    await refused(upload(bytes, auth([['t', 'upload'], ['x', sha256], ['expiration', String(now() + 60)]], now() + 3600)), 401, /future/)
    expect(await headBlob(env.BLOBS, sha256)).toBeNull()
    const big = new Uint8Array((32 << 20) + 1)
    await refused(upload(big, uploadAuth(await sha256Hex(big))), 413, /at most/)
  })
})
