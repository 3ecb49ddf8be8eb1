import { describe, expect, it } from 'vitest'
import type { NostrEvent } from '../../../sdk/nostr/signer'
import { checkEnvelope, checkPath, parseRequest, rememberUntil } from './request'

const bridge = 'b'.repeat(64)
const now = 1_700_000_000
const event = (p: Partial<NostrEvent> = {}): NostrEvent => ({
  id: '1'.repeat(64), pubkey: 'c'.repeat(64), sig: '0'.repeat(128), kind: 25930, created_at: now, content: '',
  tags: [['p', bridge], ['expiration', String(now + 60)]], ...p,
})
const body = (b: Record<string, unknown>) => JSON.stringify({ v: 1, ns: 'team', path: '/workspace/a.txt', ...b })
const code = (plaintext: string) => {
  const r = parseRequest(plaintext)
  return 'error' in r ? r.error.code : 'ok'
}

describe('checkEnvelope', () => {
  it('accepts a fresh request for this bridge', () => {
    expect(checkEnvelope(event(), bridge, now)).toEqual({ accept: true })
    expect(checkEnvelope(event({ tags: [['p', bridge]] }), bridge, now + 59)).toEqual({ accept: true })
  })
  it('drops what is not its business, unanswered', () => {
    expect(checkEnvelope(event({ kind: 1 }), bridge, now)).toHaveProperty('drop')
    expect(checkEnvelope(event({ tags: [['p', 'd'.repeat(64)]] }), bridge, now)).toHaveProperty('drop')
  })
  it.each([
    ['a stale created_at', event({ created_at: now - 61 })],
    ['a future created_at', event({ created_at: now + 61 })],
    ['an expired request', event({ tags: [['p', bridge], ['expiration', String(now)]] })],
    ['an unreadable expiration', event({ tags: [['p', bridge], ['expiration', 'soon']] })],
  ])('refuses %s with EINVAL', (_, e) => {
    expect(checkEnvelope(e, bridge, now)).toEqual({ refuse: { code: 'EINVAL', message: expect.any(String) } })
  })
})

describe('rememberUntil', () => {
  it('outlives both the acceptance window and the expiration, within a day', () => {
    expect(rememberUntil(event())).toBeGreaterThan(now + 60)
    expect(rememberUntil(event({ tags: [['expiration', String(now + 3000)]] }))).toBeGreaterThan(now + 3000)
    expect(rememberUntil(event({ tags: [['expiration', String(now + 10 ** 9)]] }))).toBeLessThanOrEqual(now + 86400 + 600)
  })
})

describe('checkPath', () => {
  it('normalises a trailing slash', () => expect(checkPath('/workspace/src/')).toEqual({ ok: '/workspace/src' }))
  it.each([
    ['a dot-dot segment', '/workspace/../task'],
    ['a dot segment', '/workspace/./a'],
    ['a relative path', 'workspace/a'],
    ['an empty segment', '/workspace//a'],
    ['NUL', '/workspace/a\u0000b'],
    ['an encoded dot-dot', '/workspace/%2e%2e/task'],
    ['a mixed encoded dot-dot', '/workspace/.%2E/task'],
    ['an encoded slash', '/workspace/..%2ftask'],
    ['an encoded NUL', '/workspace/a%00'],
    ['a backslash', '/workspace/..\\..\\task'],
    ['a control character', '/workspace/a\nb'],
    ['a path that is not a string', 7],
  ])('refuses %s', (_, path) => expect(checkPath(path)).toMatchObject({ error: { code: 'EINVAL' } }))
  it('allows dots inside names', () => expect(checkPath('/workspace/..rc/a.b...')).toEqual({ ok: '/workspace/..rc/a.b...' }))
})

describe('parseRequest', () => {
  it('reads each op with its defaults', () => {
    expect(parseRequest(body({ op: 'stat' }))).toEqual({ ok: { op: 'stat', ns: 'team', path: '/workspace/a.txt' } })
    expect(parseRequest(body({ op: 'readdir' }))).toMatchObject({ ok: { op: 'readdir', limit: 500 } })
    expect(parseRequest(body({ op: 'read', args: { offset: 5, count: 10 } }))).toMatchObject({ ok: { offset: 5, count: 10 } })
    expect(parseRequest(body({ op: 'write', args: { data_b64: 'aGk=', create: true, if_match: '7' } }))).toMatchObject({
      ok: { op: 'write', body: { data: new Uint8Array([104, 105]) }, create: true, truncate: false, ifMatch: '7' },
    })
    expect(parseRequest(body({ op: 'write', args: { blob: { x: 'a'.repeat(64), size: 100000 } } }))).toMatchObject({
      ok: { body: { blob: { x: 'a'.repeat(64), size: 100000 } } },
    })
    expect(parseRequest(body({ op: 'rename', args: { to: '/workspace/b/' } }))).toMatchObject({ ok: { to: '/workspace/b' } })
    expect(parseRequest(body({ op: 'watch', args: { recursive: true } }))).toMatchObject({ ok: { recursive: true } })
    expect(parseRequest(body({ op: 'unwatch', args: { watch_id: 'f'.repeat(64) } }))).toMatchObject({ ok: { watchId: 'f'.repeat(64) } })
  })

  it('refuses oversized inline data with ETOOBIG, before decoding it', () => {
    expect(code(body({ op: 'write', args: { data_b64: 'A'.repeat(32 * 1024 + 4) } }))).toBe('ETOOBIG')
    expect(code(body({ op: 'write', args: { data_b64: 'A'.repeat(32 * 1024) } }))).toBe('ok')
    expect(code(body({ op: 'write', args: { blob: { x: 'a'.repeat(64), size: 2 ** 40 } } }))).toBe('ETOOBIG')
  })

  it.each([
    ['content that is not JSON', '{'],
    ['an array', '[]'],
    ['another version', JSON.stringify({ v: 2, op: 'stat', ns: 'team', path: '/' })],
    ['an unknown op', body({ op: 'chmod' })],
    ['a bad namespace id', JSON.stringify({ v: 1, op: 'stat', ns: '../x', path: '/' })],
    ['an unknown argument', body({ op: 'write', args: { trunc: true } })],
    ['a flag that is not boolean', body({ op: 'remove', args: { recursive: 'yes' } })],
    ['a negative offset', body({ op: 'read', args: { offset: -1 } })],
    ['a zero limit', body({ op: 'readdir', args: { limit: 0 } })],
    ['data that is not base64', body({ op: 'write', args: { data_b64: 'not base64!' } })],
    ['data and blob', body({ op: 'write', args: { data_b64: '', blob: { x: 'a'.repeat(64), size: 1 } } })],
    ['append with offset', body({ op: 'write', args: { append: true, offset: 3 } })],
    ['exclusive without create', body({ op: 'write', args: { exclusive: true } })],
    ['a rename target escaping', body({ op: 'rename', args: { to: '/workspace/../task/x' } })],
    ['an unwatch without id', body({ op: 'unwatch' })],
    ['a path escaping', body({ op: 'stat', path: '/workspace/%2E%2E/task' })],
  ])('refuses %s with EINVAL', (_, plaintext) => expect(code(plaintext)).toBe('EINVAL'))
})
