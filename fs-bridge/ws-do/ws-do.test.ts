import { env, evictDurableObject, runInDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { readJson, readText, writeFile } from '../../sdk/fs/io'
import type { FileService } from '../../sdk/fs/types'
import { EdgeFs } from '../../sdk/services/edge'
import { newSigner, ORIGIN } from '../testing/auth'
import { MAX_INBOX_MESSAGES, type ConnInfo } from './conn-store'
import { edgeWsFs, type EdgeWsFs } from '.'

const echo = inject('edgeEcho')

/** Polls `read` until `done` holds (the socket works in the background). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read()
    if (done(value)) return value
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('gave up waiting')
}

const status = (fs: FileService, id: string) => readJson<ConnInfo>(fs, `/conns/${id}/status`)

describe('EdgeWsFs, /cap/ws at the edge', () => {
  it('opens through control, sends through out, and keeps what arrives until the agent reads in', async () => {
    const signer = newSigner()
    const fs = new EdgeFs(`${ORIGIN}/cap/ws`, { signer, fetch: (r) => SELF.fetch(r) })
    await writeFile(fs, '/control', JSON.stringify({ url: echo }))
    expect(await readText(fs, '/control')).toBe('conn-0')
    // Written while the connection opens: sent once it is open, in order.
    await writeFile(fs, '/conns/conn-0/out', 'one')
    await until(() => status(fs, 'conn-0'), (s) => s.state === 'open')
    await writeFile(fs, '/conns/conn-0/out', 'two')
    await writeFile(fs, '/conns/conn-0/out', 'three')
    const queued = await until(() => status(fs, 'conn-0'), (s) => s.inbox_count === 3)
    expect(queued).toMatchObject({ id: 'conn-0', url: `${echo}/`, state: 'open', outbox_count: 0, inbox_count: 3, dropped: 0 })
    expect(await fs.stat('/conns/conn-0/in')).toMatchObject({ size: 3, readonly: true })
    expect(await readText(fs, '/conns/conn-0/in')).toBe('one')
    expect(await readText(fs, '/conns/conn-0/in')).toBe('two')
    expect(await readText(fs, '/conns/conn-0/in')).toBe('three')
    expect(await readText(fs, '/conns/conn-0/in')).toBe('')
    expect(await readJson(fs, '/status')).toEqual({ connection_count: 1, max_connections: 16, connections: ['conn-0'] })
    expect((await fs.readdir('/conns/conn-0')).map((e) => e.name)).toEqual(['in', 'out', 'status', 'url'])

    await writeFile(fs, '/control', JSON.stringify({ close: 'conn-0' }))
    await until(() => status(fs, 'conn-0'), (s) => s.state === 'closed')
    await expect(writeFile(fs, '/conns/conn-0/out', 'late')).rejects.toMatchObject({ code: 'io' })
    await fs.remove('/conns/conn-0')
    expect(await fs.readdir('/conns')).toEqual([])
  })

  it('takes both spellings of control and keeps each agent apart', async () => {
    const agent = crypto.randomUUID()
    const fs = edgeWsFs(env.EDGE_WS, agent)
    await writeFile(fs, '/control', JSON.stringify({ open: echo }))
    await until(() => status(fs, 'conn-0'), (s) => s.state === 'open')
    await writeFile(fs, '/control', JSON.stringify({ id: 'conn-0' }))
    await until(() => status(fs, 'conn-0'), (s) => s.state === 'closed')
    expect(await edgeWsFs(env.EDGE_WS, crypto.randomUUID()).readdir('/conns')).toEqual([])
  })

  it('keeps arrivals in storage, bounded, and reports connections lost to eviction as closed', async () => {
    const agent = crypto.randomUUID()
    const fs = edgeWsFs(env.EDGE_WS, agent)
    await writeFile(fs, '/control', JSON.stringify({ url: echo }))
    await until(() => status(fs, 'conn-0'), (s) => s.state === 'open')
    const stub = env.EDGE_WS.get(env.EDGE_WS.idFromName(agent))
    await runInDurableObject(stub, (instance: EdgeWsFs) => {
      const store = (instance as unknown as { store: { push(id: string, box: 'in', m: { data: Uint8Array; text: boolean }): void } }).store
      for (let i = 0; i < MAX_INBOX_MESSAGES + 5; i++) store.push('conn-0', 'in', { data: new TextEncoder().encode(`m${i}`), text: true })
    })
    expect(await status(fs, 'conn-0')).toMatchObject({ inbox_count: MAX_INBOX_MESSAGES, dropped: 5 })
    expect(await readText(fs, '/conns/conn-0/in')).toBe('m5')

    // Eviction waits for the open socket to drain (about 10 s) before it tears the object down.
    await evictDurableObject(stub)
    expect(await status(fs, 'conn-0')).toMatchObject({ state: 'closed', error: 'connection lost when the object restarted', inbox_count: MAX_INBOX_MESSAGES - 1 })
    expect(await readText(fs, '/conns/conn-0/in')).toBe('m6')
  }, 60_000)

  it('refuses private targets, other schemes and bad commands, and opens nothing', async () => {
    const fs = edgeWsFs(env.EDGE_WS, crypto.randomUUID())
    for (const url of ['ws://127.0.0.1:9/', 'ws://169.254.169.254/', 'http://localhost/', 'file:///etc/passwd']) {
      await expect(writeFile(fs, '/control', JSON.stringify({ url })), url).rejects.toMatchObject({ code: 'permission-denied' })
    }
    await expect(writeFile(fs, '/control', 'wss://no-json')).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(writeFile(fs, '/control', JSON.stringify({ close: 'conn-9' }))).rejects.toMatchObject({ code: 'not-found' })
    await expect(fs.mkdir('/conns/mine')).rejects.toMatchObject({ code: 'permission-denied' })
    expect(await fs.readdir('/conns')).toEqual([])
  })

  it('reports a connection that fails to open as error', async () => {
    const fs = edgeWsFs(env.EDGE_WS, crypto.randomUUID())
    const origin = inject('edgeOrigin')
    await writeFile(fs, '/control', JSON.stringify({ url: origin.replace('http:', 'ws:') + '/not-a-socket' }))
    const failed = await until(() => status(fs, 'conn-0'), (s) => s.state !== 'connecting')
    expect(failed.state).toBe('error')
    expect(failed.error).toBeTruthy()
  })
})
