/** Interoperability with a real client library: nostr-tools' Relay. */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { ids, newKey, relayUrl, sign, signMany, uniq, type Event } from './helpers'

useWebSocketImplementation(WebSocket)

const opened: Relay[] = []
afterEach(() => {
  for (const r of opened.splice(0)) r.close()
})
async function relay() {
  const r = await Relay.connect(relayUrl(), { enablePing: false })
  opened.push(r)
  return r
}

describe('nostr-tools Relay', () => {
  it('publishes: the promise resolves on OK true', async () => {
    const r = await relay()
    await expect(r.publish(sign(newKey()))).resolves.toBe('')
  })

  it('publish rejects with the relay reason on OK false', async () => {
    const r = await relay()
    const e = sign(newKey())
    await expect(r.publish({ ...e, content: 'tampered' })).rejects.toThrow(/^invalid: /)
  })

  it('subscribes: stored events via onevent, then oneose, then live events', async () => {
    const [writer, reader] = [await relay(), await relay()]
    const [k, t] = [newKey(), uniq()]
    const stored = signMany(k, 3, { tags: [['t', t]] })
    for (const e of stored) await writer.publish(e)

    const received: Event[] = []
    let eoseAt = -1
    let published: Promise<string> | undefined
    const live = sign(k, { tags: [['t', t]] })
    let gotLive!: () => void
    const liveArrived = new Promise<void>((resolve) => (gotLive = resolve))
    const sub = reader.subscribe([{ '#t': [t] }], {
      onevent: (e) => {
        received.push(e)
        if (e.id === live.id) gotLive()
      },
      oneose: () => {
        eoseAt = received.length
        published = writer.publish(live)
      },
    })
    await liveArrived
    await expect(published).resolves.toBe('')
    sub.close()
    expect(eoseAt).toBe(3)
    expect(ids(received.slice(0, 3)).sort()).toEqual(ids(stored).sort())
    expect(ids(received.slice(3))).toEqual([live.id])
  })

  it('subscription limit and filters work through the library', async () => {
    const [writer, reader] = [await relay(), await relay()]
    const k = newKey()
    const base = Math.floor(Date.now() / 1000) - 100
    const events = [0, 1, 2, 3].map((i) => sign(k, { created_at: base + i }))
    for (const e of events) await writer.publish(e)
    const got = await new Promise<Event[]>((resolve) => {
      const out: Event[] = []
      const sub = reader.subscribe([{ authors: [k.pk], limit: 2 }], {
        onevent: (e) => out.push(e),
        oneose: () => {
          sub.close()
          resolve(out)
        },
      })
    })
    expect(ids(got)).toEqual([events[3].id, events[2].id])
  })

  it('counts', async () => {
    const [writer, reader] = [await relay(), await relay()]
    const k = newKey()
    for (const e of signMany(k, 4)) await writer.publish(e)
    expect(await reader.count([{ authors: [k.pk] }], {})).toBe(4)
    expect(await reader.count([{ authors: [k.pk] }, { authors: [k.pk], kinds: [1] }], {})).toBe(4)
  })
})
