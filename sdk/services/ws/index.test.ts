import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { FsError } from '../../fs/error'
import { readJson, readText, writeFile } from '../../fs/io'
import type { Change } from '../../fs/types'
import { WebSocket } from '../../node'
import { WsFs, type WsConnectionStatus, type WsFsOptions } from '.'

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code)

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string): Promise<T> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Echoes every message; a client connecting to /burst?n=K first gets K numbered messages. */
let echo: WebSocketServer
let echoUrl: string
/** Accepts TCP but never answers the WebSocket handshake. */
let silent: Server
const silentSockets: Socket[] = []
let made: WsFs[] = []

beforeAll(async () => {
  echo = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((resolve) => echo.once('listening', resolve))
  echoUrl = `ws://127.0.0.1:${(echo.address() as AddressInfo).port}`
  echo.on('connection', (socket, req) => {
    const burst = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n') ?? 0)
    for (let i = 1; i <= burst; i++) socket.send(`m${i}`)
    socket.on('message', (data, binary) => socket.send(binary ? data : data.toString()))
  })
  silent = createServer((socket) => void silentSockets.push(socket))
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
})

afterEach(() => {
  for (const ws of made) ws.closeAll()
  made = []
})

afterAll(async () => {
  for (const client of echo.clients) client.terminate()
  await new Promise((resolve) => echo.close(resolve))
  for (const socket of silentSockets) socket.destroy()
  await new Promise((resolve) => silent.close(resolve))
})

function make(options: WsFsOptions = {}): WsFs {
  const ws = new WsFs({ WebSocket, ...options })
  made.push(ws)
  return ws
}

const statusOf = (ws: WsFs, id: string) => readJson<WsConnectionStatus>(ws, `/conns/${id}/status`)
const stateIs = (ws: WsFs, id: string, state: string) => until(async () => (await statusOf(ws, id)).state === state, `${id} ${state}`)

describe('WsFs', () => {
  it('opens from control, sends from out and receives in order from in', async () => {
    const ws = make()
    await writeFile(ws, '/control', JSON.stringify({ url: echoUrl }))
    expect(await readText(ws, '/control')).toBe('conn-0')
    expect((await ws.readdir('/conns/conn-0')).map((e) => e.name)).toEqual(['in', 'out', 'status', 'url'])
    expect(await readText(ws, '/conns/conn-0/url')).toBe(echoUrl)
    await stateIs(ws, 'conn-0', 'open')
    const out = await ws.open('/conns/conn-0/out', { write: true, append: true })
    for (const message of ['one', 'two', 'three']) {
      await out.write(message)
      await out.flush()
    }
    await out.close()
    await until(async () => (await statusOf(ws, 'conn-0')).inbox_count === 3, 'three echoes')
    const received = [await readText(ws, '/conns/conn-0/in'), await readText(ws, '/conns/conn-0/in'), await readText(ws, '/conns/conn-0/in')]
    expect(received).toEqual(['one', 'two', 'three'])
    expect(await readText(ws, '/conns/conn-0/in')).toBe('')
    expect(await statusOf(ws, 'conn-0')).toEqual({
      id: 'conn-0',
      url: echoUrl,
      state: 'open',
      outbox_count: 0,
      inbox_count: 0,
      inbox_dropped: 0,
      opened_at: expect.any(Number),
    })
    expect(await readJson(ws, '/status')).toEqual({ connection_count: 1, max_connections: 50, connections: ['conn-0'] })
  })

  it('holds messages written while connecting and sends them in order once open', async () => {
    const ws = make()
    await writeFile(ws, '/control', JSON.stringify({ open: echoUrl }))
    await writeFile(ws, '/conns/conn-0/out', 'early 1')
    await writeFile(ws, '/conns/conn-0/out', 'early 2')
    expect(await statusOf(ws, 'conn-0')).toMatchObject({ state: 'connecting', outbox_count: 2 })
    await until(async () => (await statusOf(ws, 'conn-0')).inbox_count === 2, 'two echoes')
    expect(await statusOf(ws, 'conn-0')).toMatchObject({ state: 'open', outbox_count: 0 })
    expect(ws.receive('conn-0')).toBe('early 1')
    expect(ws.receive('conn-0')).toBe('early 2')
  })

  it('looks at in without taking when listed or stat-ed, and passes binary frames through', async () => {
    const ws = make()
    const id = ws.connect(echoUrl)
    await stateIs(ws, id, 'open')
    ws.send(id, new Uint8Array([0xff, 0x00, 0x01]))
    ws.send(id, 'text ☃')
    await until(async () => (await statusOf(ws, id)).inbox_count === 2, 'two echoes')
    expect((await ws.stat(`/conns/${id}/in`)).size).toBe(3)
    expect((await ws.readdir(`/conns/${id}`)).find((e) => e.name === 'in')?.size).toBe(3)
    const handle = await ws.open(`/conns/${id}/in`, { read: true })
    expect(await handle.read(2)).toEqual(new Uint8Array([0xff, 0x00]))
    expect(await handle.read()).toEqual(new Uint8Array([0x01]))
    await handle.close()
    expect((await statusOf(ws, id)).inbox_count).toBe(1)
    expect(await readText(ws, `/conns/${id}/in`)).toBe('text ☃')
  })

  it('closes with {"id"} or {"close"}, after which out refuses', async () => {
    const ws = make()
    const a = ws.connect(echoUrl)
    const b = ws.connect(echoUrl)
    await stateIs(ws, a, 'open')
    await writeFile(ws, '/control', JSON.stringify({ id: a }))
    expect(['closing', 'closed']).toContain((await statusOf(ws, a)).state)
    await stateIs(ws, a, 'closed')
    await writeFile(ws, '/control', JSON.stringify({ close: b }))
    await stateIs(ws, b, 'closed')
    expect(await code(writeFile(ws, `/conns/${a}/out`, 'late'))).toBe('io')
    expect(await readJson(ws, '/status')).toMatchObject({ connection_count: 0, connections: [a, b] })
  })

  it('ends in state error when the connection is refused or the handshake never comes', async () => {
    const closed = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((resolve) => closed.once('listening', resolve))
    const deadUrl = `ws://127.0.0.1:${(closed.address() as AddressInfo).port}`
    await new Promise((resolve) => closed.close(resolve))
    const ws = make({ connectTimeoutMs: 300 })
    const refused = ws.connect(deadUrl)
    await stateIs(ws, refused, 'error')
    expect((await statusOf(ws, refused)).error).toMatch(/ECONNREFUSED/)
    const hanging = ws.connect(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}`)
    await stateIs(ws, hanging, 'error')
    expect((await statusOf(ws, hanging)).error).toBe('connect timed out after 0.3 s')
    expect(await code(writeFile(ws, `/conns/${hanging}/out`, 'x'))).toBe('io')
  })

  it('refuses connections past maxConnections and keeps a bounded inbox', async () => {
    const ws = make({ maxConnections: 2, maxInbox: 3 })
    const first = ws.connect(`${echoUrl}/burst?n=5`)
    ws.connect(echoUrl)
    expect(await code(writeFile(ws, '/control', JSON.stringify({ url: echoUrl })))).toBe('rate-limited')
    expect(await readText(ws, '/control')).toBe('conn-1')
    expect((await ws.readdir('/conns')).map((e) => e.name)).toEqual(['conn-0', 'conn-1'])
    await until(async () => (await statusOf(ws, first)).inbox_dropped === 2, 'a full inbox')
    expect((await statusOf(ws, first)).inbox_count).toBe(3)
    expect([ws.receive(first), ws.receive(first), ws.receive(first), ws.receive(first)]).toEqual(['m3', 'm4', 'm5', undefined])
    ws.close(first)
    await stateIs(ws, first, 'closed')
    expect(ws.connect(echoUrl)).toBe('conn-2')
  })

  it('refuses malformed control writes with io, changing nothing', async () => {
    const ws = make()
    for (const bad of ['nope', '[]', '{}', '{"url":"https://example.com"}', '{"url":"wss://a","id":"conn-0"}', '{"open":5}', '{"shut":"conn-0"}']) {
      const error = await writeFile(ws, '/control', bad).then(() => undefined, (e: unknown) => e)
      expect(error, bad).toBeInstanceOf(FsError)
      expect((error as FsError).code).toBe('invalid-argument')
    }
    expect(await code(writeFile(ws, '/control', '{"id":"conn-9"}'))).toBe('not-found')
    expect(await readText(ws, '/control')).toBe('')
    expect(await ws.readdir('/conns')).toEqual([])
    expect(await code(ws.open('/conns/conn-0/in', { read: true }))).toBe('not-found')
    // Node 20 has no global WebSocket, so the default finds none.
    if (!('WebSocket' in globalThis)) expect(() => new WsFs().connect(echoUrl)).toThrow(/no WebSocket implementation/)
  })

  it('tells watchers of new connections, state changes and arriving messages', async () => {
    const ws = make()
    const changes: Change[] = []
    ws.watch('/', (c) => changes.push(c), { recursive: true })
    const id = ws.connect(echoUrl)
    await stateIs(ws, id, 'open')
    ws.send(id, 'ping')
    await until(() => changes.some((c) => c.path === `/conns/${id}/in`), 'the echo')
    expect(changes.map((c) => `${c.type} ${c.path}`)).toEqual(['create /conns/conn-0', 'modify /status', 'modify /conns/conn-0/status', 'modify /conns/conn-0/in'])
  })
})
