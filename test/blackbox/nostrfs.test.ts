/**
 * NostrFs (/cap/nostr) against the running relay: publishing through files, refusals kept, an
 * inbox that verifies, and the seed's flow (write `request`, a DVM answers, the result appears
 * under jobs/) with the agent doing nothing but file operations through a Namespace.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import type { Filter } from 'nostr-tools/filter'
import { FsError } from '../../sdk/fs/error'
import { readJson, readText, writeFile } from '../../sdk/fs/io'
import type { FileService } from '../../sdk/fs/types'
import { Namespace } from '../../sdk/namespace'
import { SecretKeySigner } from '../../sdk/nostr/signer'
import { NostrFs, type SentRecord } from '../../sdk/services/nostr'
import { MAIN_LIMITS } from './platform'
import { eventually, newKey, now, relayUrl, sign, type Event, type Key } from './helpers'

useWebSocketImplementation(WebSocket)

const cleanup: Array<() => unknown> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

async function nostrFs(relays: string[] = [relayUrl()], key: Key = newKey()) {
  const fs = await NostrFs.create({ signer: new SecretKeySigner(key.sk), relays, WebSocket })
  cleanup.push(() => fs.close())
  return fs
}

/** A nostr-tools client of the relay, closed after the test. */
async function client() {
  const relay = await Relay.connect(relayUrl(), { enablePing: false })
  cleanup.push(() => relay.close())
  return relay
}

async function query(filter: Filter): Promise<Event[]> {
  const relay = await client()
  return new Promise((resolve) => {
    const found: Event[] = []
    const sub = relay.subscribe([filter], { onevent: (e) => found.push(e), oneose: () => (sub.close(), resolve(found)) })
  })
}

const sentRecord = (fs: FileService, path: string) => readJson<SentRecord>(fs, path).catch(() => undefined)
const names = async (fs: FileService, path: string) => (await fs.readdir(path)).map((e) => e.name)
const codeOf = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (FsError.is(e) ? e.code : String(e)))

/** Waits until every relay connection of the agent is open and authenticated (NIP-42). */
async function connected(fs: FileService, statusPath = '/status') {
  await eventually(async () => {
    const status = await readJson<{ connections: Record<string, { state: string; authenticated: boolean }> }>(fs, statusPath)
    return Object.values(status.connections).every((c) => c.state === 'open' && c.authenticated)
  })
}

describe('NostrFs publishing', () => {
  it('publishes what is written to submit: sent/ holds the relay OK and the outbox empties', async () => {
    const fs = await nostrFs()
    await writeFile(fs, '/submit', JSON.stringify({ kind: 1, content: 'hello from a file', tags: [['t', 'nostrfs']] }))
    const id = await readText(fs, '/submit')
    await eventually(async () => (await sentRecord(fs, `/sent/${id}.json`))?.state === 'accepted')
    const record = (await sentRecord(fs, `/sent/${id}.json`))!
    expect(record).toMatchObject({ id, kind: 1 })
    expect(Object.values(record.relays)).toEqual([{ accepted: true, message: '', at: expect.any(Number) }])
    expect(await names(fs, '/outbox')).toEqual([])
    const [stored] = await query({ ids: [id] })
    expect(stored).toMatchObject({ id, pubkey: fs.pubkey, kind: 1, content: 'hello from a file', tags: [['t', 'nostrfs']] })
  })

  it('keeps an event the relay refuses: the refusal is in sent/ and the event stays in the outbox', async () => {
    const fs = await nostrFs()
    await writeFile(fs, '/submit', JSON.stringify({ kind: 1, content: 'x'.repeat(MAIN_LIMITS.MAX_CONTENT_LENGTH + 1) }))
    const id = await readText(fs, '/submit')
    await eventually(async () => (await sentRecord(fs, `/sent/${id}.json`))?.state === 'refused')
    const [answer] = Object.values((await sentRecord(fs, `/sent/${id}.json`))!.relays)
    expect(answer).toMatchObject({ accepted: false, message: expect.stringMatching(/^invalid: /) })
    expect(await names(fs, '/outbox')).toEqual([`${id}.json`])
    expect(await readJson(fs, `/outbox/${id}.json`)).toMatchObject({ id, kind: 1 })
    expect(await readJson(fs, '/status')).toMatchObject({ outbox_count: 1 })
    expect(await query({ ids: [id] })).toEqual([])
  })

  it('refuses bad JSON at flush and queues nothing', async () => {
    const fs = await nostrFs()
    expect(await codeOf(writeFile(fs, '/submit', '{"kind":1'))).toBe('invalid-argument')
    expect(await codeOf(writeFile(fs, '/request', '{"kind":1,"input":"x"}'))).toBe('invalid-argument')
    expect(await names(fs, '/outbox')).toEqual([])
  })
})

describe('NostrFs inbox', () => {
  it('receives events p-tagged to the agent from another client, in arrival order', async () => {
    const agent = newKey()
    const fs = await nostrFs([relayUrl()], agent)
    await connected(fs)
    const other = await client()
    const first = sign(newKey(), { tags: [['p', agent.pk]], content: 'first' })
    const second = sign(newKey(), { tags: [['p', agent.pk]], content: 'second' })
    await other.publish(first)
    await eventually(async () => (await names(fs, '/inbox')).includes(`${first.id}.json`))
    await other.publish(second)
    await other.publish(sign(newKey(), { content: 'not for the agent' }))
    await eventually(async () => (await names(fs, '/inbox')).includes(`${second.id}.json`))
    expect(await readJson(fs, `/inbox/${first.id}.json`)).toEqual(JSON.parse(JSON.stringify(first)))
    expect(await readText(fs, '/arrivals')).toBe(`${first.id}\n${second.id}\n`)
    expect(await readJson(fs, '/status')).toMatchObject({ inbox_count: 2, rejected_count: 0 })
  })

  it('authenticates (NIP-42), so it hears the kinds the relay delivers only to their addressee', async () => {
    const agent = newKey()
    const fs = await nostrFs([relayUrl()], agent)
    await connected(fs)
    const response = sign(newKey(), { kind: 25931, tags: [['p', agent.pk]], content: 'for the agent only' })
    await expect((await client()).publish(response)).resolves.toBeDefined()
    await eventually(async () => (await names(fs, '/inbox')).includes(`${response.id}.json`))
  })

  it('hears what a written subscription asks for', async () => {
    const fs = await nostrFs()
    await connected(fs)
    const topic = `nostrfs-${now()}-${Math.random()}`
    await writeFile(fs, '/subscriptions', JSON.stringify({ kinds: [1], '#t': [topic] }))
    await eventually(async () => {
      const subs = await readJson<Array<{ id: string; relays: Record<string, string> }>>(fs, '/subscriptions')
      return Object.values(subs.find((s) => s.id === 'sub-1')?.relays ?? {}).includes('active')
    })
    const event = sign(newKey(), { tags: [['t', topic]] })
    await (await client()).publish(event)
    await eventually(async () => (await names(fs, '/inbox')).includes(`${event.id}.json`))
  })

  describe('from a relay that forges', () => {
    // Our relay refuses forged events, so a relay of the test's own (outside our system) sends them.
    let server: WebSocketServer
    const agent = newKey()
    // Dated ahead so that they fall after the inbox subscription's `since`, whenever the test starts.
    const addressed = (content: string) => sign(newKey(), { tags: [['p', agent.pk]], content, created_at: now() + 60 })
    const genuine = addressed('genuine')
    const forged = { ...addressed('forged'), sig: genuine.sig }
    const tampered = { ...addressed('signed'), content: 'changed after signing' }
    beforeAll(async () => {
      server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
      server.on('connection', (socket) =>
        socket.on('message', (data) => {
          const [type, subId] = JSON.parse(String(data)) as [string, string]
          if (type !== 'REQ') return
          for (const e of [forged, tampered, genuine]) socket.send(JSON.stringify(['EVENT', subId, e]))
          socket.send(JSON.stringify(['EOSE', subId]))
        }),
      )
      await new Promise((resolve) => server.once('listening', resolve))
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it('keeps only events whose signature verifies', async () => {
      const port = (server.address() as { port: number }).port
      const fs = await nostrFs([`ws://127.0.0.1:${port}`], agent)
      await eventually(async () => (await names(fs, '/inbox')).length > 0)
      await eventually(async () => (await readJson<{ rejected_count: number }>(fs, '/status')).rejected_count === 2)
      expect(await names(fs, '/inbox')).toEqual([`${genuine.id}.json`])
      expect(await codeOf(fs.stat(`/inbox/${forged.id}.json`))).toBe('not-found')
    })
  })
})

describe('the seed flow over NostrFs', () => {
  const dvmKey = newKey()
  let dvm: Relay
  const answered: string[] = []
  beforeAll(async () => {
    // A DVM written with nothing but nostr-tools: processing feedback, then a 6050 result.
    dvm = await Relay.connect(relayUrl(), { enablePing: false })
    await new Promise<void>((subscribed) =>
      dvm.subscribe([{ kinds: [5050], since: now() }], {
        oneose: subscribed,
        onevent: async (req) => {
          const about = [['e', req.id], ['p', req.pubkey]]
          await dvm.publish(sign(dvmKey, { kind: 7000, tags: [['status', 'processing'], ...about] }))
          const input = req.tags.find((t) => t[0] === 'i')?.[1] ?? ''
          await dvm.publish(sign(dvmKey, { kind: 6050, tags: [['request', JSON.stringify(req)], ['i', input, 'text'], ...about], content: `echo: ${input}` }))
          answered.push(req.id)
        },
      }),
    )
  })
  afterAll(() => dvm.close())

  it('a request written to /cap/nostr/request comes back as jobs/<id>/results/<dvm>.json', async () => {
    const fs = await nostrFs()
    const ns = Namespace.builder().mount('/cap/nostr', fs).build()
    await connected(ns, '/cap/nostr/status')

    await writeFile(ns, '/cap/nostr/request', JSON.stringify({ kind: 5050, input: 'hello seed', params: { max_tokens: 64 }, bid: 1000 }))
    const id = await readText(ns, '/cap/nostr/request')
    const job = `/cap/nostr/jobs/${id}`
    await eventually(async () => (await names(ns, `${job}/results`)).includes(`${dvmKey.pk}.json`))

    const result = await readJson<Event>(ns, `${job}/results/${dvmKey.pk}.json`)
    expect(result).toMatchObject({ kind: 6050, pubkey: dvmKey.pk, content: 'echo: hello seed' })
    expect(await readText(ns, `${job}/status`)).toBe('success')
    expect(await readJson(ns, `${job}/request.json`)).toMatchObject({
      id,
      kind: 5050,
      tags: [['i', 'hello seed', 'text'], ['param', 'max_tokens', '64'], ['bid', '1000'], ['relays', expect.stringMatching(/^ws:\/\//)]],
    })
    const feedback = await ns.readdir(`${job}/feedback`)
    expect(feedback.length).toBeGreaterThan(0)
    const statuses = await Promise.all(feedback.map(async (f) => (await readJson<Event>(ns, `${job}/feedback/${f.name}`)).tags))
    expect(statuses.flat()).toContainEqual(['status', 'processing'])
    expect((await sentRecord(ns, `/cap/nostr/sent/${id}.json`))?.state).toBe('accepted')
    expect(await names(ns, '/cap/nostr/outbox')).toEqual([])
    expect(answered).toContain(id)

    // The same NostrFs mounted read-only: everything readable, nothing writable.
    const untrusted = Namespace.builder().mount('/cap/nostr', fs, { mode: 'ro' }).build()
    expect(await readText(untrusted, '/cap/nostr/identity/pubkey')).toBe(fs.pubkey)
    expect(await readText(untrusted, `${job}/status`)).toBe('success')
    expect(await names(untrusted, `${job}/results`)).toEqual([`${dvmKey.pk}.json`])
    expect((await names(untrusted, '/cap/nostr/inbox')).length).toBeGreaterThan(0)
    expect(await codeOf(writeFile(untrusted, '/cap/nostr/request', JSON.stringify({ kind: 5050, input: 'again' })))).toBe('read-only')
    expect(await codeOf(writeFile(untrusted, '/cap/nostr/submit', JSON.stringify({ kind: 1, content: 'no' })))).toBe('read-only')
    expect(await readText(fs, '/request')).toBe(id)
  })

  it("files answers that do not p-tag the agent, heard through the job's e tag", async () => {
    const fs = await nostrFs()
    await writeFile(fs, '/request', JSON.stringify({ kind: 5050, input: 'quietly' }))
    const id = await readText(fs, '/request')
    await eventually(async () => (await sentRecord(fs, `/sent/${id}.json`))?.state === 'accepted')
    const quiet = newKey()
    await (await client()).publish(sign(quiet, { kind: 6050, tags: [['e', id]], content: 'no p tag' }))
    await eventually(async () => (await names(fs, `/jobs/${id}/results`)).includes(`${quiet.pk}.json`))
    expect(await readJson(fs, `/jobs/${id}/results/${quiet.pk}.json`)).toMatchObject({ content: 'no p tag' })
  })
})
