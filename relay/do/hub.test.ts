import { env, runInDurableObject } from 'cloudflare:test'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { defaults } from '../config'
import type { NostrEvent } from '../protocol/event'
import { Hub } from './hub'

const sk = generateSecretKey()
const note = (content: string): [NostrEvent, string] => {
  const e = finalizeEvent({ kind: 1, created_at: 1700000000, tags: [], content }, sk)
  const plain = { id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content, sig: e.sig }
  return [plain, JSON.stringify(plain)]
}

/** A hub on a spare relay object's state, one socket whose client side records what it gets. */
function withHub(run: (hub: Hub, connect: () => { conn: ReturnType<Hub['accept']>; received: () => string[] }) => Promise<string[]> | string[]) {
  return runInDurableObject(env.RELAY.get(env.RELAY.idFromName(`hub-${crypto.randomUUID()}`)), async (_, state) => {
    const hub = new Hub(state, defaults)
    return run(hub, () => {
      const [client, server] = Object.values(new WebSocketPair())
      const conn = hub.accept(server, { connId: crypto.randomUUID(), ip: 'test', host: 'relay.test', challenge: 'c', authed: [] })
      client.accept()
      const frames: string[] = []
      client.addEventListener('message', (m) => frames.push(m.data as string))
      return { conn, received: () => frames.map((f) => { const [verb, , e] = JSON.parse(f); return verb === 'EVENT' ? e.content : verb }) }
    })
  })
}

const settle = () => new Promise((r) => setTimeout(r, 50))

describe('Hub: events published while a REQ reads history', () => {
  it('are held until EOSE and sent once, after the history', async () => {
    const [e0, raw0] = note('stored')
    const [e1, raw1] = note('published during the query')
    const [e2, raw2] = note('published after EOSE')
    const frames = await withHub(async (hub, connect) => {
      const { conn, received } = connect()
      const sub = hub.open(conn, 's', [{ kinds: [1] }])
      hub.fanOut(e1, raw1) // arrives while the query runs, and the query missed it
      hub.deliverHistory(conn, 's', sub, [[raw0]])
      hub.fanOut(e2, raw2)
      void e0
      await settle()
      return received()
    })
    expect(frames).toEqual(['stored', 'EOSE', 'published during the query', 'published after EOSE'])
  })

  it('are not sent twice when the history already had them', async () => {
    const [e1, raw1] = note('committed just before the query read')
    const frames = await withHub(async (hub, connect) => {
      const { conn, received } = connect()
      const sub = hub.open(conn, 's', [{ kinds: [1] }])
      hub.fanOut(e1, raw1)
      hub.deliverHistory(conn, 's', sub, [[raw1], [raw1]]) // two filters matched it too
      await settle()
      return received()
    })
    expect(frames).toEqual(['committed just before the query read', 'EOSE'])
  })

  it('sends nothing for a subscription closed or replaced while its history was read', async () => {
    const [e1, raw1] = note('late')
    const frames = await withHub(async (hub, connect) => {
      const { conn, received } = connect()
      const first = hub.open(conn, 's', [{ kinds: [1] }])
      hub.open(conn, 's', [{ kinds: [7] }]) // replaced by a REQ with the same id
      hub.deliverHistory(conn, 's', first, [[raw1]])
      hub.fanOut(e1, raw1)
      await settle()
      return received()
    })
    expect(frames).toEqual([])
  })
})
