/**
 * The blob store over HTTP, as Blossom has it (BUD-01/BUD-02) under /blobs: `GET`/`HEAD
 * /blobs/<sha256>[.<ext>]` (the extension is ignored; ranges supported) and `PUT /blobs/upload`
 * with a kind 24242 `upload` event naming the body's sha256 in `Authorization: Nostr <base64>`.
 * Errors are `{"message"}` with the reason also in `X-Reason`.
 */
import { Hono } from 'hono'
import type { EdgeEnv } from '../env'
import { readCapped } from '../bytes'
import { parseNostrAuthorization } from '../nip98'
import { checkBlossomAuth } from './auth'
import { getBlob, headBlob, putBlob, SHA256_HEX, sha256Hex, type BlobDescriptor } from '.'

export const DEFAULT_BLOB_MAX_BYTES = 32 << 20

export const blobRoutes = new Hono<{ Bindings: EdgeEnv }>()

const failure = (status: number, message: string) =>
  new Response(JSON.stringify({ message }), { status, headers: { 'Content-Type': 'application/json', 'X-Reason': message } })

function headersOf(blob: BlobDescriptor): Record<string, string> {
  return {
    'Content-Type': blob.type,
    'Content-Length': String(blob.size),
    ETag: `"${blob.sha256}"`,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'public, max-age=31536000, immutable',
  }
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` of a blob of `size` bytes; 'unsatisfiable' past its end. */
function rangeOf(header: string | undefined, size: number): R2Range | 'unsatisfiable' | undefined {
  const m = header && /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return undefined
  if (m[1] === '') return Number(m[2]) === 0 ? 'unsatisfiable' : { suffix: Math.min(Number(m[2]), size) }
  const offset = Number(m[1])
  if (offset >= size) return 'unsatisfiable'
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  return end < offset ? undefined : { offset, length: end - offset + 1 }
}

blobRoutes.put('/blobs/upload', async (c) => {
  const auth = parseNostrAuthorization(c.req.header('Authorization'))
  if (!auth.ok) return failure(401, auth.reason)
  const max = Number(c.env.BLOB_MAX_BYTES ?? DEFAULT_BLOB_MAX_BYTES)
  const body = await readCapped(c.req.raw.body, Number(c.req.header('Content-Length') ?? 0), max)
  if (body === null) return failure(413, `blobs are at most ${max} bytes`)
  const reason = checkBlossomAuth(auth.event, 'upload', Math.floor(Date.now() / 1000), await sha256Hex(body))
  if (reason) return failure(401, reason)
  const blob = await putBlob(c.env.BLOBS, body, c.req.header('Content-Type') ?? 'application/octet-stream')
  return c.json({ ...blob, url: new URL(blob.url, c.req.url).href })
})

blobRoutes.on(['GET', 'HEAD'], '/blobs/:name', async (c) => {
  const sha256 = c.req.param('name').split('.')[0].toLowerCase()
  if (!SHA256_HEX.test(sha256)) return failure(400, 'a blob is named by its sha256, 64 hex characters')
  const head = await headBlob(c.env.BLOBS, sha256)
  if (!head) return failure(404, 'no such blob')
  const range = rangeOf(c.req.header('Range'), head.size)
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${head.size}` } })
  if (c.req.method === 'HEAD') return new Response(null, { headers: headersOf(head) })
  const blob = await getBlob(c.env.BLOBS, sha256, range)
  if (!blob) return failure(404, 'no such blob')
  if (!blob.range) return new Response(blob.body, { headers: headersOf(blob) })
  const { offset, length } = blob.range
  return new Response(blob.body, {
    status: 206,
    headers: { ...headersOf(blob), 'Content-Length': String(length), 'Content-Range': `bytes ${offset}-${offset + length - 1}/${blob.size}` },
  })
})
