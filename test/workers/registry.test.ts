import { env } from 'cloudflare:test'
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { readAnnouncement, type DvmAnnouncement } from '../../relay/marketplace/nip89'
import { DvmRegistry } from '../../relay/marketplace/registry'
import { D1Runner } from '../../relay/store/d1'
import { eventually, getJson } from './market'
import { now, signed, TestSocket } from './socket'

type Listed = Array<{ pubkey: string; live: boolean; name: string; heartbeatUntil: number | null }>
const listed = async (kind: number, pubkey: string) => (await getJson<Listed>(`/dvms?kind=${kind}`)).filter((d) => d.pubkey === pubkey)

describe('DVM registry', () => {
  it('follows announcements: a newer one replaces the older, a deletion unregisters', async () => {
    const sk = generateSecretKey()
    const pubkey = getPublicKey(sk)
    const socket = await TestSocket.open()
    const first = signed({ kind: 31990, created_at: now() - 10, tags: [['d', 'svc'], ['k', '5301']], content: JSON.stringify({ name: 'v1' }) }, sk)
    expect((await socket.publish(first))[2]).toBe(true)
    await eventually(async () => expect(await listed(5301, pubkey)).toMatchObject([{ name: 'v1', live: true }]))

    const second = signed({ kind: 31990, tags: [['d', 'svc'], ['k', '5302']], content: JSON.stringify({ name: 'v2' }) }, sk)
    expect((await socket.publish(second))[2]).toBe(true)
    await eventually(async () => expect(await listed(5302, pubkey)).toMatchObject([{ name: 'v2' }]))
    expect(await listed(5301, pubkey)).toEqual([])

    const deletion = signed({ kind: 5, tags: [['a', `31990:${pubkey}:svc`], ['k', '31990']] }, sk)
    expect((await socket.publish(deletion))[2]).toBe(true)
    await eventually(async () => expect(await listed(5302, pubkey)).toEqual([]))
    socket.close()
  })

  it('counts a heartbeat with an expiration as a sign of life', async () => {
    const sk = generateSecretKey()
    const socket = await TestSocket.open()
    await socket.publish(signed({ kind: 31990, tags: [['d', 'hb'], ['k', '5303']], content: '{}' }, sk))
    const until = now() + 3600
    expect((await socket.publish(signed({ kind: 11998, tags: [['expiration', String(until)]], content: '' }, sk)))[2]).toBe(true)
    await eventually(async () => expect(await listed(5303, getPublicKey(sk))).toMatchObject([{ live: true, heartbeatUntil: until * 1000 }]))
    socket.close()
  })

  it('registers only allow-listed DVMs in a closed marketplace, and tells live from dead', async () => {
    const [ok, other] = [generateSecretKey(), generateSecretKey()]
    const registry = new DvmRegistry(new D1Runner(env.DB), 1000, new Set([getPublicKey(ok)]))
    const announce = (sk: Uint8Array) => readAnnouncement(signed({ kind: 31990, tags: [['d', 'c'], ['k', '5400']], content: '{}' }, sk)) as DvmAnnouncement
    await registry.register(announce(ok), null, 10_000)
    await registry.register(announce(other), null, 10_000)
    expect(registry.forKind(5400).map((d) => d.pubkey)).toEqual([getPublicKey(ok)])
    expect(registry.isLive(getPublicKey(ok), 10_500)).toBe(true)
    expect(registry.isLive(getPublicKey(ok), 11_001)).toBe(false)
    registry.touch(getPublicKey(ok), 11_000)
    expect(registry.isLive(getPublicKey(ok), 11_500)).toBe(true)
  })
})
