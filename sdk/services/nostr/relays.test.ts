/**
 * NostrFs's relay connections against a scripted relay (a `ws` server in this process): late OKs,
 * dropped connections, subscriptions a relay ends. The real relay is exercised by the black-box suite.
 */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { generateSecretKey } from 'nostr-tools/pure'
import { readJson, readText, writeFile } from '../../fs/io'
import { SecretKeySigner } from '../../nostr/signer'
import { NostrFs, type SentRecord } from '.'

type Frame = [string, ...unknown[]]

/**
 * A relay that records what it is sent and answers EVENTs as the test says. With `authRequired`
 * it refuses EVENT and REQ as `auth-required:` until an AUTH, and challenges only when told to.
 */
class ScriptedRelay {
  readonly server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  readonly frames: Frame[] = []
  authed = false
  /** How to answer an EVENT: an OK frame to send (after `delay` ms), or nothing. */
  answer: (id: string) => { ok: boolean; message: string; delay?: number } | undefined = () => ({ ok: true, message: '' })

  constructor(readonly authRequired = false) {
    this.server.on('connection', (socket) =>
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as Frame
        this.frames.push(frame)
        const reply = (...f: unknown[]) => socket.send(JSON.stringify(f))
        const locked = this.authRequired && !this.authed
        if (frame[0] === 'AUTH') {
          this.authed = true
          reply('OK', (frame[1] as { id: string }).id, true, '')
        } else if (frame[0] === 'REQ' && locked) {
          reply('CLOSED', frame[1], 'auth-required: authenticate first')
        } else if (frame[0] === 'EVENT') {
          const id = (frame[1] as { id: string }).id
          const answer = locked ? { ok: false, message: 'auth-required: authenticate first' } : this.answer(id)
          if (answer) setTimeout(() => reply('OK', id, answer.ok, answer.message), 'delay' in answer ? answer.delay : 0)
        }
      }),
    )
  }

  challenge(): void {
    this.send(['AUTH', 'challenge-1'])
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as { port: number }).port}/`
  }

  send(frame: Frame): void {
    for (const socket of this.server.clients) socket.send(JSON.stringify(frame))
  }

  drop(): void {
    for (const socket of this.server.clients) socket.terminate()
  }

  reqs(label: string): Frame[] {
    return this.frames.filter((f) => f[0] === 'REQ' && String(f[1]).startsWith(label + ':'))
  }

  close(): Promise<void> {
    this.drop()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function setup(options: { publishTimeout?: number } = {}, authRequired = false) {
  const relay = new ScriptedRelay(authRequired)
  await new Promise((resolve) => relay.server.once('listening', resolve))
  const fs = await NostrFs.create({ signer: new SecretKeySigner(generateSecretKey()), relays: [relay.url], WebSocket, ...options })
  cleanup.push(() => relay.close(), () => fs.close())
  await eventually(async () => (await readJson<any>(fs, '/status')).connections[relay.url].state === 'open')
  return { relay, fs }
}

const sent = (fs: NostrFs, id: string) => readJson<SentRecord>(fs, `/sent/${id}.json`).catch(() => undefined)

describe('NostrFs relay connections', () => {
  it('subscribes to events addressed to the agent', async () => {
    const { relay, fs } = await setup()
    await eventually(() => relay.reqs('inbox').length === 1)
    expect(relay.reqs('inbox')[0][2]).toEqual({ '#p': [fs.pubkey], since: expect.any(Number) })
  })

  it('records an OK that comes after the publish timeout, and only then lets the event leave', async () => {
    const { relay, fs } = await setup({ publishTimeout: 100 })
    relay.answer = () => ({ ok: true, message: 'late', delay: 600 })
    await writeFile(fs, '/submit', '{"kind":1,"content":"slow"}')
    const id = await readText(fs, '/submit')
    await eventually(async () => (await sent(fs, id))?.state === 'pending')
    expect((await sent(fs, id))!.relays[relay.url]).toMatchObject({ error: 'publish timed out' })
    expect(await readText(fs, `/outbox/${id}.json`)).toContain(id)
    await eventually(async () => (await sent(fs, id))?.state === 'accepted')
    expect((await sent(fs, id))!.relays[relay.url]).toMatchObject({ accepted: true, message: 'late' })
    expect(await fs.readdir('/outbox')).toEqual([])
  })

  it('reconnects after the relay drops it, subscribes again and resends what got no OK', async () => {
    const { relay, fs } = await setup()
    relay.answer = () => undefined
    await writeFile(fs, '/submit', '{"kind":1,"content":"lost"}')
    const id = await readText(fs, '/submit')
    await eventually(() => relay.frames.some((f) => f[0] === 'EVENT'))
    relay.answer = () => ({ ok: true, message: '' })
    relay.drop()
    await eventually(async () => (await sent(fs, id))?.state === 'accepted')
    expect(relay.frames.filter((f) => f[0] === 'EVENT').length).toBe(2)
    expect(relay.reqs('inbox').length).toBe(2)
    expect(await fs.readdir('/outbox')).toEqual([])
  })

  it('closes cleanly while a connection is still being made', async () => {
    const relay = new ScriptedRelay()
    cleanup.push(() => relay.close())
    await new Promise((resolve) => relay.server.once('listening', resolve))
    const closedByClient = new Promise((resolve) => relay.server.once('connection', (socket) => socket.once('close', resolve)))
    const fs = await NostrFs.create({ signer: new SecretKeySigner(generateSecretKey()), relays: [relay.url], WebSocket })
    fs.close()
    await closedByClient
    expect((await readJson<any>(fs, '/status')).connections[relay.url].state).toBe('closed')
  })

  it('shows why a relay ended a subscription', async () => {
    const { relay, fs } = await setup()
    await writeFile(fs, '/subscriptions', '{"kinds":[1]}')
    await eventually(() => relay.reqs('sub-1').length === 1)
    relay.send(['CLOSED', relay.reqs('sub-1')[0][1], 'restricted: not here'])
    await eventually(async () => {
      const subs = await readJson<Array<{ id: string; relays: Record<string, string> }>>(fs, '/subscriptions')
      return subs.find((s) => s.id === 'sub-1')?.relays[relay.url] === 'restricted: not here'
    })
  })
})

describe('NostrFs and NIP-42', () => {
  it('answers a challenge, then resends what was refused for want of AUTH and reopens subscriptions', async () => {
    const { relay, fs } = await setup({}, true)
    await writeFile(fs, '/submit', '{"kind":1,"content":"after auth"}')
    const id = await readText(fs, '/submit')
    await eventually(async () => (await sent(fs, id))?.state === 'refused')
    expect((await sent(fs, id))!.relays[relay.url]).toMatchObject({ accepted: false, message: 'auth-required: authenticate first' })
    await eventually(async () => {
      const subs = await readJson<Array<{ id: string; relays: Record<string, string> }>>(fs, '/subscriptions')
      return subs[0].relays[relay.url].startsWith('auth-required:')
    })

    relay.challenge()
    await eventually(async () => (await sent(fs, id))?.state === 'accepted')
    const auth = relay.frames.find((f) => f[0] === 'AUTH')![1] as { kind: number; pubkey: string; tags: string[][] }
    expect(auth).toMatchObject({ kind: 22242, pubkey: fs.pubkey })
    expect(auth.tags).toContainEqual(['challenge', 'challenge-1'])
    expect((await readJson<any>(fs, '/status')).connections[relay.url]).toMatchObject({ state: 'open', authenticated: true })
    await eventually(() => relay.reqs('inbox').length === 2)
    const subs = await readJson<Array<{ id: string; relays: Record<string, string> }>>(fs, '/subscriptions')
    expect(subs[0].relays[relay.url]).toBe('active')
  })
})
