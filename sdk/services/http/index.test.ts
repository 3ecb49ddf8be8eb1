import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FsError } from '../../fs/error'
import { readJson, readText, writeFile } from '../../fs/io'
import type { Change } from '../../fs/types'
import { HttpFs } from '.'

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code)

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => handler(req, res, body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
}

/** Requests to /hold wait here until the test answers them. */
const held: ServerResponse[] = []
/** The `n` of each /hold?n= request, in the order they arrived. */
const arrivals: number[] = []
let inFlight = 0
let mostInFlight = 0
let targetHits = 0
let target: { server: Server; base: string }
let proxy: { server: Server; base: string }

beforeAll(async () => {
  target = await listen((req, res, body) => {
    targetHits++
    if (req.url?.startsWith('/echo')) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-reply': 'yes' })
      res.end(JSON.stringify({ method: req.method, url: req.url, test: req.headers['x-test'] ?? null, body }))
    } else if (req.url === '/teapot') {
      res.writeHead(418, 'Short and stout')
      res.end('no coffee')
    } else if (req.url?.startsWith('/hold?n=')) {
      arrivals.push(Number(req.url.slice('/hold?n='.length)))
      mostInFlight = Math.max(mostInFlight, ++inFlight)
      held.push(res)
    } else if (req.url === '/big') {
      res.end('x'.repeat(2000))
    } else if (req.url === '/big-chunked') {
      for (let i = 0; i < 20; i++) res.write('y'.repeat(100))
      res.end()
    } // anything else (/slow) is never answered
  })
  proxy = await listen((req, res) => {
    res.writeHead(200, { 'x-via': 'proxy' })
    res.end(JSON.stringify({ path: req.url, method: req.method }))
  })
})

afterAll(async () => {
  await stop(target.server)
  await stop(proxy.server)
})

describe('HttpFs', () => {
  it('performs a request written to /request and keeps the response in OANIX shape', async () => {
    const http = new HttpFs()
    await writeFile(http, '/request', JSON.stringify({ method: 'post', url: `${target.base}/echo?q=1`, headers: { 'x-test': 'hello' }, body: 'payload' }))
    expect(await readText(http, '/request')).toBe('req-0')
    expect(await readJson(http, '/pending/req-0.json')).toEqual({
      id: 'req-0',
      method: 'POST',
      url: `${target.base}/echo?q=1`,
      headers: { 'x-test': 'hello' },
      body: 'payload',
      timeout_secs: 30,
      created_at: expect.any(Number),
    })
    await http.result('req-0')
    expect((await http.readdir('/pending')).length).toBe(0)
    const response = await readJson<Record<string, unknown>>(http, '/responses/req-0.json')
    expect(Object.keys(response)).toEqual(['request_id', 'status', 'status_text', 'headers', 'body', 'duration_ms', 'completed_at'])
    expect(response).toMatchObject({ request_id: 'req-0', status: 200, status_text: 'OK', headers: { 'x-reply': 'yes' } })
    expect(JSON.parse(response.body as string)).toEqual({ method: 'POST', url: '/echo?q=1', test: 'hello', body: 'payload' })
    expect(await readJson(http, '/status')).toEqual({ pending_count: 0, completed_count: 1, failed_count: 0, default_timeout_secs: 30, max_concurrent: 10 })
  })

  it('reports any status code as a response, and failures as failed records', async () => {
    const http = new HttpFs()
    const teapot = http.request({ url: `${target.base}/teapot` })
    const closed = await listen(() => {})
    await stop(closed.server)
    const refused = http.request({ url: `${closed.base}/` })
    expect(await http.result(teapot)).toMatchObject({ status: 418, status_text: 'Short and stout', body: 'no coffee' })
    const failure = await readJson<Record<string, unknown>>(http, `/responses/${refused}.json`)
    expect(failure).toEqual({ request_id: refused, error: expect.stringMatching(/ECONNREFUSED/), status: 'failed' })
    expect((await readJson<{ failed_count: number }>(http, '/status')).failed_count).toBe(1)
  })

  it('fails a request that outlives its timeout', async () => {
    const http = new HttpFs()
    const id = http.request({ url: `${target.base}/slow`, timeout_secs: 0.2 })
    expect(await http.result(id)).toEqual({ request_id: id, error: 'timed out after 0.2 s', status: 'failed' })
  })

  it('fails a response whose body is larger than the cap, with or without a length', async () => {
    const http = new HttpFs({ maxBodyBytes: 1000 })
    for (const path of ['/big', '/big-chunked']) {
      const result = await http.result(http.request({ url: target.base + path }))
      expect(result, path).toMatchObject({ status: 'failed', error: 'response body larger than 1000 bytes' })
    }
    const small = new HttpFs({ maxBodyBytes: 2000 })
    expect(await small.result(small.request({ url: `${target.base}/big-chunked` }))).toMatchObject({ status: 200 })
  })

  it('keeps at most maxConcurrent requests in flight and queues the rest in order', async () => {
    const http = new HttpFs({ maxConcurrent: 2 })
    mostInFlight = 0
    const ids = Array.from({ length: 5 }, (_, n) => http.request({ url: `${target.base}/hold?n=${n}` }))
    expect((await readJson<{ pending_count: number }>(http, '/status')).pending_count).toBe(5)
    for (let answered = 0; answered < 5; answered++) {
      while (held.length === 0 || (held.length < 2 && answered < 4)) await new Promise((r) => setTimeout(r, 5))
      inFlight--
      held.shift()!.end('done')
    }
    const results = await Promise.all(ids.map((id) => http.result(id)))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(mostInFlight).toBe(2)
    // Two at a time, started in the order written: each arrives at most one place from its own.
    expect([...arrivals].sort()).toEqual([0, 1, 2, 3, 4])
    expect(arrivals.every((n, k) => Math.abs(n - k) <= 1)).toBe(true)
  })

  it('sends every request through the edge proxy when one is given', async () => {
    const http = new HttpFs({ proxy: `${proxy.base}/` })
    const hitsBefore = targetHits
    const url = `${target.base}/echo?x=1`
    const result = await http.result(http.request({ url }))
    expect(result).toMatchObject({ status: 200, headers: { 'x-via': 'proxy' } })
    expect(JSON.parse((result as { body: string }).body)).toEqual({ path: `/proxy/${url}`, method: 'GET' })
    expect(targetHits).toBe(hitsBefore)
    expect(() => new HttpFs({ proxy: 'not a url' })).toThrow(TypeError)
  })

  it('refuses malformed requests at flush with io, changing nothing', async () => {
    const http = new HttpFs()
    for (const bad of [
      'not json',
      '[]',
      '{"url":"ftp://example.com/"}',
      '{"url":"/relative"}',
      `{"method":"FETCH","url":"${target.base}/"}`,
      `{"url":"${target.base}/","headers":{"a":1}}`,
      `{"url":"${target.base}/","body":"x"}`,
      `{"method":"POST","url":"${target.base}/","body":{"a":1}}`,
      `{"url":"${target.base}/","timeout_secs":0}`,
    ]) {
      const error = await writeFile(http, '/request', bad).then(() => undefined, (e: unknown) => e)
      expect(error, bad).toBeInstanceOf(FsError)
      expect((error as FsError).code).toBe('invalid-argument')
      expect((error as FsError).message).toMatch(/invalid request/)
    }
    expect(await readText(http, '/request')).toBe('')
    expect(await readJson(http, '/status')).toMatchObject({ pending_count: 0, completed_count: 0, failed_count: 0 })
    expect(http.request({ url: `${target.base}/echo` })).toBe('req-0')
  })

  it('refuses requests past maxPending with rate-limited', async () => {
    const http = new HttpFs({ maxPending: 1, maxConcurrent: 1 })
    const first = http.request({ url: `${target.base}/echo` })
    expect(await code(writeFile(http, '/request', JSON.stringify({ url: `${target.base}/echo` })))).toBe('rate-limited')
    await http.result(first)
    expect(http.request({ url: `${target.base}/echo` })).toBe('req-1')
  })

  it('tells watchers, and lets a read response be removed', async () => {
    const http = new HttpFs()
    const changes: Change[] = []
    http.watch('/', (c) => changes.push(c), { recursive: true })
    const id = http.request({ url: `${target.base}/echo` })
    await http.result(id)
    await http.remove(`/responses/${id}.json`)
    expect(await code(http.stat(`/responses/${id}.json`))).toBe('not-found')
    expect((await readJson<{ completed_count: number }>(http, '/status')).completed_count).toBe(0)
    expect(changes.map((c) => `${c.type} ${c.path}`)).toEqual([
      'create /pending/req-0.json',
      'modify /status',
      'delete /pending/req-0.json',
      'create /responses/req-0.json',
      'modify /status',
      'modify /status',
      'delete /responses/req-0.json',
    ])
    expect(await code(http.remove('/status'))).toBe('permission-denied')
  })
})
