import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { signed, TestSocket } from './socket'

const relayStub = () => env.RELAY.get(env.RELAY.idFromName('relay'))

describe('relay Durable Object', () => {
  it('keeps delivering to subscriptions after hibernation', async () => {
    const subscriber = await TestSocket.open()
    const tag = crypto.randomUUID()
    expect(await subscriber.req('live', { '#t': [tag] })).toEqual([])

    await evictDurableObject(relayStub(), { webSockets: 'hibernate' })

    const publisher = await TestSocket.open()
    const event = signed({ kind: 1, tags: [['t', tag]] })
    expect(await publisher.publish(event)).toEqual(['OK', event.id, true, ''])
    const delivered = await subscriber.next((f) => f[0] === 'EVENT')
    expect(delivered).toEqual(['EVENT', 'live', JSON.parse(JSON.stringify(event))])
    subscriber.close()
    publisher.close()
  })

  it('restores sockets and subscriptions in a fresh instance from storage and attachments', async () => {
    const socket = await TestSocket.open()
    await socket.req('a', { kinds: [1] }, { '#p': ['f'.repeat(64)] })
    await socket.req('b', { kinds: [7] })
    socket.send(['CLOSE', 'b'])
    await socket.req('c', { limit: 0 })
    const restored = await runInDurableObject(relayStub(), (instance, state) => {
      const Relay = instance.constructor as new (s: DurableObjectState, e: typeof env) => typeof instance
      const fresh = new Relay(state, env) as unknown as { hub: { all(): Iterable<{ subs: Map<string, { filters: unknown[] }> }> } }
      return [...fresh.hub.all()].map((c) => Object.fromEntries([...c.subs].map(([id, s]) => [id, s.filters])))
    })
    expect(restored).toContainEqual({ a: [{ kinds: [1] }, { tags: { p: ['f'.repeat(64)] } }], c: [{ limit: 0 }] })
    socket.close()
  })

  it('answers OK false with error: when storage fails, and loses nothing it acknowledged', async () => {
    const socket = await TestSocket.open()
    const kept = signed({ kind: 1 })
    expect(await socket.publish(kept)).toEqual(['OK', kept.id, true, ''])

    await env.DB.exec('ALTER TABLE tags RENAME TO tags_broken')
    const lost = signed({ kind: 1, tags: [['t', 'x']] })
    try {
      const ok = await socket.publish(lost)
      expect(ok[2]).toBe(false)
      expect(ok[3]).toMatch(/^error: /)
    } finally {
      await env.DB.exec('ALTER TABLE tags_broken RENAME TO tags')
    }
    expect((await socket.req('q', { ids: [kept.id, lost.id] })).map((e) => e.id)).toEqual([kept.id])
    expect(await socket.publish(lost)).toEqual(['OK', lost.id, true, ''])
    socket.close()
  })

  it('purges expired events when its alarm runs', async () => {
    const socket = await TestSocket.open()
    const soon = Math.floor(Date.now() / 1000) + 2
    const event = signed({ kind: 1, tags: [['expiration', String(soon)]] })
    expect(await socket.publish(event)).toEqual(['OK', event.id, true, ''])
    const alarm = await runInDurableObject(relayStub(), (_, state) => state.storage.getAlarm())
    expect(alarm).not.toBeNull()
    expect(alarm!).toBeLessThanOrEqual(soon * 1000)
    socket.close()
  })
})
