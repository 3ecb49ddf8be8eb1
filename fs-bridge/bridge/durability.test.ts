/** The bridge evicted and started again: namespaces, grants, answers, watches and the journal all come back. */
import { evictDurableObject, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { bytesToBase64 } from '../../sdk/fs/io'
import { BASE, BridgeClient, bridgeStub, uniqueNs } from './testing/client'

describe('eviction', () => {
  it('loses nothing durable, and tells watchers to re-read', async () => {
    const owner = await BridgeClient.open()
    const reader = await BridgeClient.open()
    const ns = uniqueNs('evict')
    await owner.createNamespace(ns, [{ path: '/w', service: 'files' }, { path: '/tmp', service: 'mem' }])
    await owner.grant('r', reader.pubkey, ns, [['/w', 'r']])
    await owner.write(ns, '/w/kept.txt', 'kept')
    await owner.write(ns, '/tmp/scratch', 'scratch')
    const watch = await owner.ok('watch', ns, '/w')
    const append = owner.requestEvent({ op: 'write', ns, path: '/w/kept.txt', args: { data_b64: bytesToBase64(new TextEncoder().encode('+')), append: true } })
    await owner.send(append)
    const answered = await owner.answer(append.id)
    expect(answered.body).toMatchObject({ ok: true, result: { size: 5 } })
    const before = (await owner.notification(watch.watch_id)).seq
    const pubkey = ((await (await SELF.fetch(`${BASE}/fs`)).json()) as { pubkey: string }).pubkey

    await evictDurableObject(bridgeStub())

    expect(((await (await SELF.fetch(`${BASE}/fs`)).json()) as { pubkey: string }).pubkey).toBe(pubkey)
    expect(await reader.readText(ns, '/w/kept.txt')).toBe('kept+')
    // Answered before: answered again from storage, not run again.
    expect(await bridgeStub().handle(JSON.parse(JSON.stringify(append)))).toBe('replayed')
    expect((await owner.answer(append.id)).body).toEqual(answered.body)
    expect(await owner.readText(ns, '/w/kept.txt')).toBe('kept+')
    // The watch goes on, one seq number on: the gap says what changed meanwhile went unheard.
    await owner.write(ns, '/w/new.txt', 'new')
    expect((await owner.notification(watch.watch_id)).seq).toBe(before + 2)
    // A mem mount is memory: it starts empty, as documented.
    expect(await owner.code('stat', ns, '/tmp/scratch')).toBe('ENOENT')
    const journal = (await owner.readText(ns, '/logs/audit.jsonl')).trim().split('\n').map((l) => JSON.parse(l))
    expect(journal.filter((e) => e.request === append.id).map((e) => [e.op, e.path])).toEqual([['write', '/w/kept.txt'], ['replay', '/w/kept.txt']])
    owner.close()
    reader.close()
  }, 30_000)
})
