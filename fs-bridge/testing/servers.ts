/**
 * Global setup of the `workers-edge` tests: servers outside the system, on localhost (which the
 * project's EDGE_ALLOW_HOSTS lets the Worker reach): an HTTP origin for the proxy and a WebSocket
 * echo server for /cap/ws. They run in Node; the tests inside workerd get their URLs by inject().
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { WebSocketServer } from 'ws'

declare module 'vitest' {
  export interface ProvidedContext {
    edgeOrigin: string
    edgeEcho: string
  }
}

/** Requests seen per path, so tests can tell a cache hit from a second trip to the origin. */
const hits = new Map<string, number>()

function origin(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const count = (hits.get(url.pathname + url.search) ?? 0) + 1
  hits.set(url.pathname + url.search, count)
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const seen = { path: url.pathname + url.search, method: req.method, hits: count, headers: req.headers, body: Buffer.concat(chunks).toString() }
    const reply = (status: number, headers: Record<string, string>, body: string | Buffer = JSON.stringify(seen)) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      res.end(body)
    }
    switch (url.pathname) {
      case '/cacheable':
        return reply(200, { 'Cache-Control': 'public, max-age=300' })
      case '/vary':
        return reply(200, { 'Cache-Control': 'max-age=300', Vary: 'Accept-Language' })
      case '/private':
        return reply(200, { 'Cache-Control': 'private, max-age=300' })
      case '/big':
        return reply(200, { 'Content-Type': 'application/octet-stream' }, Buffer.alloc(Number(url.searchParams.get('bytes')), 7))
      case '/slow':
        return void setTimeout(() => reply(200, {}), 5000).unref()
      case '/redirect':
        return reply(302, { Location: 'http://127.0.0.1/' }, '')
      default:
        return reply(200, {})
    }
  })
}

async function listen(server: ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  return (server.address() as AddressInfo).port
}

export default async function setup(project: TestProject) {
  const http = createServer(origin)
  const echoHttp = createServer()
  const echo = new WebSocketServer({ server: echoHttp })
  echo.on('connection', (socket) => socket.on('message', (data, binary) => socket.send(data, { binary })))
  project.provide('edgeOrigin', `http://localhost:${await listen(http)}`)
  project.provide('edgeEcho', `ws://localhost:${await listen(echoHttp)}`)
  return async () => {
    for (const client of echo.clients) client.terminate()
    await new Promise((resolve) => echo.close(resolve))
    await new Promise((resolve) => echoHttp.close(resolve))
    http.closeAllConnections()
    await new Promise((resolve) => http.close(resolve))
  }
}
