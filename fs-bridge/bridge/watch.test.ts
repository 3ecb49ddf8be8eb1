/** Watches: notifications in order with a dense seq, what a grantee may see, ending and renewing. */
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BridgeClient, bridgeStub, seconds, uniqueNs } from './testing/client'

type Note = Awaited<ReturnType<BridgeClient['notification']>>

/** Notifications of a watch until `count` changes have come; checks that seq runs on without gaps. */
async function collect(client: BridgeClient, watchId: string, count: number, firstSeq = 1): Promise<Note['changes'] & { lastSeq?: number }> {
  const changes: Note['changes'] & { lastSeq?: number } = []
  let seq = firstSeq
  while (changes.length < count) {
    const note = await client.notification(watchId)
    expect(note.seq).toBe(seq++)
    changes.push(...note.changes)
  }
  changes.lastSeq = seq - 1
  return changes
}

const summary = (changes: Note['changes']) => changes.map((c) => [c.type, c.path, c.to].filter(Boolean).join(' '))

describe.each(['mem', 'files'])('watching a %s mount', (service) => {
  let owner: BridgeClient
  let ns: string
  beforeEach(async () => {
    owner = await BridgeClient.open()
    ns = uniqueNs('watch')
    await owner.createNamespace(ns, [{ path: '/w', service }])
  })
  afterEach(() => owner.close())

  it('tells the watcher of every change, in order, numbered densely', async () => {
    const watch = await owner.ok('watch', ns, '/w', { recursive: true })
    expect(watch).toEqual({ watch_id: expect.stringMatching(/^[0-9a-f]{64}$/), expires_at: expect.any(Number) })
    await owner.write(ns, '/w/a', 'one')
    await owner.ok('mkdir', ns, '/w/d')
    await owner.write(ns, '/w/d/b', 'two')
    await owner.ok('rename', ns, '/w/a', { to: '/w/c' })
    await owner.ok('remove', ns, '/w/c')
    const changes = await collect(owner, watch.watch_id, 7)
    expect(summary(changes)).toEqual(['create /w/a', 'modify /w/a', 'create /w/d', 'create /w/d/b', 'modify /w/d/b', 'rename /w/a /w/c', 'delete /w/c'])
    expect(changes[1]).toMatchObject({ size: 3, etag: expect.any(String) })
  })

  it('stops after unwatch, and lets only the watcher end its watch', async () => {
    const first = await owner.ok('watch', ns, '/w')
    const stranger = await BridgeClient.open()
    await owner.grant('g', stranger.pubkey, ns, [['/w', 'r']])
    expect(await stranger.code('unwatch', ns, '/w', { watch_id: first.watch_id })).toBe('ENOENT')
    await owner.ok('unwatch', ns, '/w', { watch_id: first.watch_id })
    expect(await owner.code('unwatch', ns, '/w', { watch_id: first.watch_id })).toBe('ENOENT')
    const marker = await owner.ok('watch', ns, '/w')
    await owner.write(ns, '/w/x', 'x')
    await collect(owner, marker.watch_id, 2)
    await expect(owner.notification(first.watch_id, 100)).rejects.toThrow()
    stranger.close()
  })
})

describe('watch permissions and lifetime', () => {
  let owner: BridgeClient
  let grantee: BridgeClient
  let ns: string
  beforeEach(async () => {
    owner = await BridgeClient.open()
    grantee = await BridgeClient.open()
    ns = uniqueNs('watch')
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }])
    await owner.ok('mkdir', ns, '/w/pub')
    await owner.ok('mkdir', ns, '/w/secret')
  })
  afterEach(() => {
    owner.close()
    grantee.close()
  })

  it('shows a grantee only what it may read, and ends its watch when the grant goes', async () => {
    await owner.grant('g', grantee.pubkey, ns, [['/w/pub', 'r']])
    expect(await grantee.code('watch', ns, '/w', { recursive: true })).toBe('EACCES')
    const watch = await grantee.ok('watch', ns, '/w/pub', { recursive: true })
    await owner.write(ns, '/w/secret/s', 'hidden')
    await owner.write(ns, '/w/pub/p', 'shown')
    await owner.ok('rename', ns, '/w/pub/p', { to: '/w/secret/p' })
    const seen = await collect(grantee, watch.watch_id, 3)
    expect(summary(seen)).toEqual(['create /w/pub/p', 'modify /w/pub/p', 'delete /w/pub/p'])
    await owner.publish({ kind: 35931, tags: [['d', 'g'], ['p', grantee.pubkey], ['ns', ns]], created_at: seconds() + 1 })
    await owner.write(ns, '/w/pub/q', 'after')
    const last = await grantee.notification(watch.watch_id)
    expect(last).toEqual({ seq: seen.lastSeq! + 1, changes: [], closed: 'revoked' })
    expect(await grantee.code('unwatch', ns, '/w/pub', { watch_id: watch.watch_id })).toBe('ENOENT')
  })

  it('ends the watches of a namespace that is replaced', async () => {
    const watch = await owner.ok('watch', ns, '/w')
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }, { path: '/v', service: 'mem' }])
    expect(await owner.notification(watch.watch_id)).toEqual({ seq: 1, changes: [], closed: 'ended' })
  })

  it('renews a watch by id, and ends it with a last notification when it expires', async () => {
    const watch = await owner.ok('watch', ns, '/w')
    const renewed = await owner.ok('watch', ns, '/w', { watch_id: watch.watch_id })
    expect(renewed.watch_id).toBe(watch.watch_id)
    expect(renewed.expires_at).toBeGreaterThanOrEqual(watch.expires_at)
    expect(await owner.code('watch', ns, '/w/pub', { watch_id: watch.watch_id })).toBe('ENOENT')
    await runInDurableObject(bridgeStub(), (_, state) => {
      state.storage.sql.exec('UPDATE watches SET expires_at = ? WHERE id = ?', seconds() - 1, watch.watch_id)
    })
    await runDurableObjectAlarm(bridgeStub())
    expect(await owner.notification(watch.watch_id)).toEqual({ seq: 1, changes: [], closed: 'expired' })
    expect(await owner.code('unwatch', ns, '/w', { watch_id: watch.watch_id })).toBe('ENOENT')
  })
})
