/** Attacks, each refused with the right code (or not answered at all), and nothing changed by them. */
import { runInDurableObject } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { nip44 } from 'nostr-tools'
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { bytesToBase64 } from '../../sdk/fs/io'
import { BridgeClient, bridgeStub, seconds, uniqueNs } from './testing/client'

const data = (text: string) => bytesToBase64(new TextEncoder().encode(text))

describe('attacks', () => {
  let owner: BridgeClient
  let ns: string
  beforeEach(async () => {
    owner = await BridgeClient.open()
    ns = uniqueNs('attack')
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }, { path: '/w/inner', service: 'mem' }, { path: '/task', service: 'mem', mode: 'ro' }, { path: '/cap/http', service: 'http' }])
    await owner.write(ns, '/w/f.txt', 'kept')
  })
  afterEach(() => owner.close())

  it.each([
    ['dot-dot', '/w/../task/x'],
    ['an encoded dot-dot', '/w/%2e%2e/task/x'],
    ['an encoded slash', '/w/..%2Ftask'],
    ['NUL', '/w/f.txt\u0000.png'],
    ['a backslash', '/w/..\\task'],
    ['a relative path', 'w/f.txt'],
  ])('refuses a path escape by %s with EINVAL', async (_, path) => {
    expect(await owner.code('write', ns, path, { data_b64: data('x'), create: true })).toBe('EINVAL')
    expect(await owner.code('rename', ns, '/w/f.txt', { to: path })).toBe('EINVAL')
    expect(await owner.readText(ns, '/w/f.txt')).toBe('kept')
  })

  it('refuses unmounted paths, read-only writes and control writes without the right', async () => {
    expect(await owner.code('stat', ns, '/elsewhere/f')).toBe('ENOENT')
    expect(await owner.code('write', ns, '/task/spec.json', { data_b64: data('{}'), create: true })).toBe('EROFS')
    const grantee = await BridgeClient.open()
    await owner.grant('g', grantee.pubkey, ns, [['/w', 'rw'], ['/cap', 'rw']])
    expect(await grantee.code('write', ns, '/cap/http/request', { data_b64: data('{"method":"GET","url":"http://10.0.0.1/"}') })).toBe('EACCES')
    expect(await grantee.code('rename', ns, '/w/f.txt', { to: '/cap/http/f' })).toBe('EACCES')
    grantee.close()
  })

  it('executes a replayed request once and answers every copy the same', async () => {
    const append = owner.requestEvent({ op: 'write', ns, path: '/w/f.txt', args: { data_b64: data('+1'), append: true } })
    await owner.send(append)
    const first = await owner.answer(append.id)
    expect(first.body).toMatchObject({ ok: true, result: { size: 6 } })
    // Re-sent through the relay (a caller that missed the answer): the stored answer again.
    const again = await owner.socket.publish(append)
    expect(again[3]).toMatch(/^duplicate:/)
    const second = await owner.answer(append.id)
    expect(second.body).toEqual(first.body)
    expect(second.event.id).not.toBe(first.event.id)
    // Straight to the bridge (as another relay would carry it): the same.
    expect(await bridgeStub().handle(JSON.parse(JSON.stringify(append)))).toBe('replayed')
    expect((await owner.answer(append.id)).body).toEqual(first.body)
    expect(await owner.readText(ns, '/w/f.txt')).toBe('kept+1')
  })

  it('drops a forged signature unanswered; the relay refuses it too', async () => {
    const request = owner.requestEvent({ op: 'write', ns, path: '/w/f.txt', args: { data_b64: data('forged'), truncate: true } })
    const forged = { ...JSON.parse(JSON.stringify(request)), sig: request.sig.replace(/^./, (c) => (c === '0' ? '1' : '0')) }
    expect((await owner.socket.publish(forged))[2]).toBe(false)
    expect(await bridgeStub().handle(forged)).toBe('dropped')
    const tampered = { ...JSON.parse(JSON.stringify(request)), content: owner.requestEvent({ op: 'remove', ns, path: '/w/f.txt' }).content }
    expect(await bridgeStub().handle(tampered)).toBe('dropped')
    expect(await owner.readText(ns, '/w/f.txt')).toBe('kept')
  })

  it('refuses a stale or future created_at with EINVAL', async () => {
    for (const created_at of [seconds() - 120, seconds() + 120]) {
      const event = owner.requestEvent({ op: 'write', ns, path: '/w/f.txt', args: { data_b64: data('late'), truncate: true } }, (t) => {
        t.created_at = created_at
        t.tags = t.tags.filter((tag) => tag[0] !== 'expiration')
      })
      await owner.send(event)
      expect((await owner.answer(event.id)).body).toMatchObject({ ok: false, error: { code: 'EINVAL', message: expect.stringContaining('created_at') } })
    }
    expect(await owner.readText(ns, '/w/f.txt')).toBe('kept')
  })

  it('ignores a request for another bridge, and refuses one it cannot decrypt', async () => {
    const elsewhere = getPublicKey(generateSecretKey())
    const misdirected = owner.requestEvent({ op: 'remove', ns, path: '/w/f.txt' }, (t) => (t.tags = t.tags.map((tag) => (tag[0] === 'p' ? ['p', elsewhere] : tag))))
    await owner.send(misdirected)
    expect(await bridgeStub().handle(JSON.parse(JSON.stringify(misdirected)))).toBe('dropped')
    const wrongKey = owner.requestEvent({ op: 'remove', ns, path: '/w/f.txt' }, (t) => {
      t.content = nip44.encrypt(JSON.stringify({ v: 1, op: 'remove', ns, path: '/w/f.txt' }), nip44.getConversationKey(owner.sk, elsewhere))
    })
    await owner.send(wrongKey)
    expect((await owner.answer(wrongKey.id)).body).toMatchObject({ ok: false, error: { code: 'EINVAL' } })
    // Answers come in order: by now the misdirected request would have had its answer.
    await expect(owner.socket.next((f) => f[0] === 'EVENT' && (f[2] as { tags: string[][] }).tags.some((t) => t[1] === misdirected.id), 50)).rejects.toThrow()
    expect(await owner.readText(ns, '/w/f.txt')).toBe('kept')
  })

  it('refuses an oversized inline body with ETOOBIG', async () => {
    expect(await owner.code('write', ns, '/w/big', { data_b64: 'A'.repeat(32 * 1024 + 4), create: true })).toBe('ETOOBIG')
    expect(await owner.code('stat', ns, '/w/big')).toBe('ENOENT')
  })

  it('rate-limits a flood from one pubkey while serving another', async () => {
    const flooder = await BridgeClient.open()
    await owner.grant('flood', flooder.pubkey, ns, [['/w', 'r']])
    const requests = Array.from({ length: 70 }, () => flooder.requestEvent({ op: 'stat', ns, path: '/w/f.txt' }))
    await Promise.all(requests.map((r) => flooder.send(r)))
    const served = await owner.code('stat', ns, '/w/f.txt')
    const codes = await Promise.all(requests.map(async (r) => {
      const { body } = await flooder.answer(r.id, 20_000)
      return body.ok ? 'ok' : body.error.code
    }))
    expect(served).toBe('ok')
    expect(codes.filter((c) => c === 'EAGAIN').length).toBeGreaterThan(0)
    expect(codes.filter((c) => c === 'ok').length).toBeGreaterThan(0)
    expect(codes.every((c) => c === 'ok' || c === 'EAGAIN')).toBe(true)
    // An EAGAIN answer is not kept: the same request, sent again once the bucket refills, runs.
    const refused = requests[codes.indexOf('EAGAIN')]
    await new Promise((r) => setTimeout(r, 1500))
    await flooder.socket.publish(refused)
    expect((await flooder.answer(refused.id)).body).toMatchObject({ ok: true })
    flooder.close()
  }, 60_000)

  it('answers a request interrupted by an eviction as such, without running it', async () => {
    const request = owner.requestEvent({ op: 'write', ns, path: '/w/f.txt', args: { data_b64: data('lost'), truncate: true } })
    await runInDurableObject(bridgeStub(), (_, state) => {
      state.storage.sql.exec('INSERT INTO seen_requests (id, response, keep_until) VALUES (?, NULL, ?)', request.id, seconds() + 600)
    })
    expect(await bridgeStub().handle(JSON.parse(JSON.stringify(request)))).toBe('answered')
    expect((await owner.answer(request.id)).body).toMatchObject({ ok: false, error: { code: 'EIO', message: expect.stringContaining('interrupted') } })
    expect(await owner.readText(ns, '/w/f.txt')).toBe('kept')
  })
})
