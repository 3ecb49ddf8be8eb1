/** NostrFs as files, with no relay (events wait in the outbox): the tree, the control files, the rules. */
import { afterEach, describe, expect, it } from 'vitest'
import { generateSecretKey } from 'nostr-tools/pure'
import { decode } from 'nostr-tools/nip19'
import { FsError } from '../../fs/error'
import { readJson, readText, writeFile } from '../../fs/io'
import type { Change } from '../../fs/types'
import { Namespace } from '../../namespace'
import { SecretKeySigner, type NostrEvent, type Signer } from '../../nostr/signer'
import { NostrFs } from '.'

const opened: NostrFs[] = []
afterEach(() => opened.splice(0).forEach((fs) => fs.close()))
async function make(signer: Signer = new SecretKeySigner(generateSecretKey())) {
  const fs = await NostrFs.create({ signer, relays: [] })
  opened.push(fs)
  return fs
}
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => (FsError.is(e) ? e.code : String(e)))

describe('NostrFs', () => {
  it("keeps OANIX's root entries and adds sent, jobs, subscriptions, arrivals", async () => {
    const fs = await make()
    expect((await fs.readdir('/')).map((e) => e.name)).toEqual(
      ['arrivals', 'identity', 'inbox', 'jobs', 'outbox', 'request', 'sent', 'status', 'submit', 'subscriptions'],
    )
  })

  it('shows its identity and status', async () => {
    const signer = new SecretKeySigner(generateSecretKey())
    const fs = await make(signer)
    const pubkey = await readText(fs, '/identity/pubkey')
    expect(pubkey).toBe(signer.pubkey)
    expect(pubkey).toMatch(/^[0-9a-f]{64}$/)
    expect(decode(await readText(fs, '/identity/npub'))).toEqual({ type: 'npub', data: pubkey })
    expect(await readJson(fs, '/status')).toMatchObject({ status: 'ready', pubkey, outbox_count: 0, inbox_count: 0, relays: [] })
  })

  it('signs what is written to submit on flush, queues it, and gives its id back', async () => {
    const fs = await make()
    const handle = await fs.open('/submit', { write: true })
    await handle.write(JSON.stringify({ kind: 1, content: 'hello', tags: [['t', 'x']] }))
    expect(await fs.readdir('/outbox')).toEqual([])
    await handle.close()
    const id = await readText(fs, '/submit')
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    const text = await readText(fs, `/outbox/${id}.json`)
    expect(text).toContain('\n  "id"')
    const event = JSON.parse(text) as NostrEvent
    expect(event).toMatchObject({ id, kind: 1, content: 'hello', tags: [['t', 'x']], pubkey: fs.pubkey })
    expect(await readJson(fs, '/status')).toMatchObject({ outbox_count: 1 })
    // Nothing has answered yet.
    expect(await code(fs.stat(`/sent/${id}.json`))).toBe('not-found')
  })

  it('turns a request into a NIP-90 job under jobs/', async () => {
    const fs = await make()
    await writeFile(fs, '/request', JSON.stringify({ kind: 5050, input: 'hello', params: { max_tokens: 64 }, bid: 1000 }))
    const id = await readText(fs, '/request')
    expect(await readJson(fs, `/jobs/${id}/request.json`)).toMatchObject({ id, kind: 5050, tags: [['i', 'hello', 'text'], ['param', 'max_tokens', '64'], ['bid', '1000']] })
    expect(await readText(fs, `/jobs/${id}/status`)).toBe('pending')
    expect(await fs.readdir(`/jobs/${id}`)).toEqual([
      { name: 'feedback', kind: 'dir', size: 0 },
      { name: 'request.json', kind: 'file', size: expect.any(Number) },
      { name: 'results', kind: 'dir', size: 0 },
      { name: 'status', kind: 'file', size: 7 },
    ])
    expect(await fs.readdir(`/jobs/${id}/results`)).toEqual([])
    expect((await fs.readdir('/outbox')).map((e) => e.name)).toEqual([`${id}.json`])
  })

  it('refuses bad JSON and bad requests at flush, and queues nothing', async () => {
    const fs = await make()
    const refused = async (path: string, text: string) => {
      const error = await writeFile(fs, path, text).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(FsError)
      return (error as FsError).detail
    }
    expect(await refused('/submit', '{"kind":1,')).toBe('invalid submit: not JSON')
    expect(await refused('/request', JSON.stringify({ kind: 1, input: 'x' }))).toMatch(/kind.*5000-5999/)
    expect(await refused('/request', JSON.stringify({ kind: 5050, input: ['x', 'nope'] }))).toMatch(/input type/)
    expect(await refused('/subscriptions', JSON.stringify({ kinds: 'x' }))).toMatch(/"kinds"/)
    expect(await fs.readdir('/outbox')).toEqual([])
    expect(await fs.readdir('/jobs')).toEqual([])
    expect(await readText(fs, '/submit')).toBe('')
  })

  it('refuses to queue what the signer refuses or signs wrongly', async () => {
    const declining: Signer = { getPublicKey: async () => 'ab'.repeat(32), signEvent: async () => Promise.reject(new Error('user declined')) }
    expect(await code(writeFile(await make(declining), '/submit', '{"kind":1,"content":""}'))).toBe('permission-denied')
    const other = new SecretKeySigner(generateSecretKey())
    const impostor: Signer = { getPublicKey: async () => 'ab'.repeat(32), signEvent: (t) => other.signEvent(t) }
    const fs = await make(impostor)
    expect(await code(writeFile(fs, '/submit', '{"kind":1,"content":""}'))).toBe('io')
    expect(await fs.readdir('/outbox')).toEqual([])
  })

  it('withdraws a queued event when its outbox file is removed', async () => {
    const fs = await make()
    await writeFile(fs, '/submit', '{"kind":1,"content":"x"}')
    const id = await readText(fs, '/submit')
    await fs.remove(`/outbox/${id}.json`)
    expect(await fs.readdir('/outbox')).toEqual([])
    expect(await code(fs.remove(`/outbox/${id}.json`))).toBe('not-found')
    expect(await code(fs.remove('/status'))).toBe('permission-denied')
  })

  it('opens, lists and closes subscriptions', async () => {
    const fs = await make()
    const pubkey = fs.pubkey
    await writeFile(fs, '/subscriptions', JSON.stringify([{ kinds: [1], '#t': ['x'] }]))
    const list = await readJson<Array<{ id: string; filters: unknown[] }>>(fs, '/subscriptions')
    expect(list.map((s) => s.id)).toEqual(['inbox', 'sub-1'])
    expect(list[0].filters).toEqual([{ '#p': [pubkey], since: expect.any(Number) }])
    expect(list[1].filters).toEqual([{ kinds: [1], '#t': ['x'] }])
    await writeFile(fs, '/subscriptions', '{"close":"sub-1"}')
    expect((await readJson<unknown[]>(fs, '/subscriptions')).length).toBe(1)
    expect(await code(writeFile(fs, '/subscriptions', '{"close":"sub-1"}'))).toBe('not-found')
    expect(await code(writeFile(fs, '/subscriptions', '{"close":"inbox"}'))).toBe('permission-denied')
  })

  it('tells watchers what it queued', async () => {
    const fs = await make()
    const changes: Change[] = []
    fs.watch('/', (c) => changes.push(c), { recursive: true })
    await writeFile(fs, '/request', '{"kind":5050,"input":"x"}')
    const id = await readText(fs, '/request')
    expect(changes).toEqual([{ type: 'create', path: `/outbox/${id}.json` }, { type: 'create', path: `/jobs/${id}` }])
  })

  it('mounted read-only, reads identity, inbox and jobs but cannot submit or request', async () => {
    const fs = await make()
    await writeFile(fs, '/request', '{"kind":5050,"input":"x"}')
    const ns = Namespace.builder().mount('/cap/nostr', fs, { mode: 'ro' }).build()
    expect(await readText(ns, '/cap/nostr/identity/pubkey')).toBe(fs.pubkey)
    expect(await ns.readdir('/cap/nostr/inbox')).toEqual([])
    expect((await ns.readdir('/cap/nostr/jobs')).length).toBe(1)
    for (const file of ['request', 'submit', 'subscriptions']) {
      expect(await code(writeFile(ns, `/cap/nostr/${file}`, '{"kind":5050,"input":"y"}'))).toBe('read-only')
    }
    const [queued] = await ns.readdir('/cap/nostr/outbox')
    expect(await code(ns.remove(`/cap/nostr/outbox/${queued.name}`))).toBe('read-only')
    expect((await fs.readdir('/jobs')).length).toBe(1)
  })

  it('after close, still reads but refuses writes as unavailable', async () => {
    const fs = await make()
    fs.close()
    expect(await readJson(fs, '/status')).toMatchObject({ status: 'closed' })
    expect(await code(writeFile(fs, '/submit', '{"kind":1,"content":""}'))).toBe('unavailable')
  })
})
