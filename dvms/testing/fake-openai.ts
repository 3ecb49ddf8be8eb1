/**
 * A local OpenAI-compatible server for tests, over real HTTP: `/v1/chat/completions` streams SSE
 * chunks, `/v1/images/generations` answers b64_json or a url, `/files/<name>` serves what a test
 * puts there (for url inputs). Tests choose each answer through `chat`, `image` and `files`, and
 * read every request it got in `requests`. Node only.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { png } from './png'

export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: any
}

/**
 * How to answer a chat completion: stream `reply` in pieces (or send it whole, as servers that
 * ignore `stream: true` do), fail with an HTTP status, or never answer.
 */
export type ChatPlan = { reply: string; pieceLength?: number; pauseMs?: number; whole?: boolean } | { status: number; error: string } | { hang: true }

/**
 * How to answer an image generation: as base64 or as a link to it here (a PNG of the asked size,
 * or `bytes`), fail, or never answer.
 */
export type ImagePlan = { format: 'b64_json' | 'url'; bytes?: Uint8Array } | { status: number; error: string } | { hang: true }

export interface FakeFile {
  body: string | Uint8Array
  type: string
  /** Sent without a content-length, so only counting the bytes finds its size. */
  chunked?: boolean
  /** Never answered. */
  stall?: boolean
}

export interface FakeOpenAi {
  /** Base URL with the version, as a DVM's <P>_BASE_URL. */
  url: string
  origin: string
  requests: RecordedRequest[]
  chat: (body: any) => ChatPlan
  image: (body: any) => ImagePlan
  files: Map<string, FakeFile>
  /** Every image it generated, newest last. */
  images: Uint8Array[]
  /** Requests to `path` (e.g. /v1/chat/completions). */
  requestsTo(path: string): RecordedRequest[]
  /** Vars pointing a DVM at this server: `<prefix>_BACKEND=openai`, `<prefix>_BASE_URL`, and `more` prefixed too. */
  vars(prefix: string, more?: Record<string, string>): Record<string, string>
  stop(): Promise<void>
}

/** The default answer: repeats the last user message, so a test sees what reached the model. */
const echo = (body: any): ChatPlan => ({ reply: `You said: ${String(body?.messages?.at(-1)?.content ?? '')}` })

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const sockets = new Set<Socket>()
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const raw = Buffer.concat(chunks).toString('utf8')
    let body: any = raw
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      // not JSON: recorded as text
    }
    const path = (req.url ?? '/').split('?')[0]
    fake.requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body })
    if (req.method === 'POST' && path === '/v1/chat/completions') return chat(res, fake.chat(body), body)
    if (req.method === 'POST' && path === '/v1/images/generations') return image(res, fake.image(body), body)
    const file = path.startsWith('/files/') ? fake.files.get(decodeURIComponent(path.slice(7))) : undefined
    if (req.method === 'GET' && file?.stall) return
    if (req.method === 'GET' && file) {
      const bytes = typeof file.body === 'string' ? Buffer.from(file.body) : Buffer.from(file.body)
      res.writeHead(200, { 'Content-Type': file.type, ...(file.chunked ? {} : { 'Content-Length': String(bytes.length) }) })
      if (file.chunked) for (let at = 0; at < bytes.length; at += 16384) res.write(bytes.subarray(at, at + 16384))
      return res.end(file.chunked ? undefined : bytes)
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${path}` } }))
  })
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  async function chat(res: ServerResponse, plan: ChatPlan, body: any) {
    if ('hang' in plan) return
    if ('status' in plan) return fail(res, plan)
    const id = `chatcmpl-${fake.requests.length}`
    if (plan.whole) {
      const completion = { id, object: 'chat.completion', model: body?.model, choices: [{ index: 0, message: { role: 'assistant', content: plan.reply }, finish_reason: 'stop' }] }
      return res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(completion))
    }
    const frame = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', model: body?.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    res.write(frame({ role: 'assistant', content: '' }))
    const step = plan.pieceLength ?? 6
    for (let at = 0; at < plan.reply.length; at += step) {
      await pause(plan.pauseMs ?? 30)
      res.write(frame({ content: plan.reply.slice(at, at + step) }))
    }
    res.end(frame({}, 'stop') + 'data: [DONE]\n\n')
  }

  function image(res: ServerResponse, plan: ImagePlan, body: any) {
    if ('hang' in plan) return
    if ('status' in plan) return fail(res, plan)
    const [width, height] = /^(\d+)x(\d+)$/.exec(String(body?.size ?? ''))?.slice(1).map(Number) ?? [64, 64]
    const bytes = plan.bytes ?? png(width, height, fake.images.length * 37 + String(body?.prompt ?? '').length)
    fake.images.push(bytes)
    const name = `generated-${fake.images.length}.png`
    fake.files.set(name, { body: bytes, type: 'image/png' })
    const item = plan.format === 'b64_json' ? { b64_json: Buffer.from(bytes).toString('base64') } : { url: `${origin}/files/${name}` }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ created: Math.floor(Date.now() / 1000), data: [item] }))
  }

  function fail(res: ServerResponse, plan: { status: number; error: string }) {
    res.writeHead(plan.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: plan.error, type: 'server_error' } }))
  }

  const fake: FakeOpenAi = {
    url: `${origin}/v1`,
    origin,
    requests: [],
    chat: echo,
    image: () => ({ format: 'b64_json' }),
    files: new Map(),
    images: [],
    requestsTo: (path) => fake.requests.filter((r) => r.path === path),
    vars: (prefix, more = {}) => ({
      [`${prefix}_BACKEND`]: 'openai',
      [`${prefix}_BASE_URL`]: `${origin}/v1`,
      ...Object.fromEntries(Object.entries(more).map(([k, v]) => [`${prefix}_${k}`, v])),
    }),
    stop: async () => {
      for (const s of sockets) s.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
  return fake
}

/** The origin of a port nobody listens on (it was free a moment ago), for unreachable back-ends and inputs. */
export async function closedOrigin(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return `http://127.0.0.1:${port}`
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
