import { describe, expect, it } from 'vitest'
import { accessFor } from './access'
import { parseRequest, type FsRequest } from './request'

const request = (op: string, path: string, args: object = {}): FsRequest => {
  const r = parseRequest(JSON.stringify({ v: 1, op, ns: 'n', path, args }))
  if ('error' in r) throw new Error(r.error.message)
  return r.ok
}

describe('accessFor', () => {
  it('classifies reads, writes and control writes', () => {
    for (const op of ['stat', 'readdir', 'read', 'watch']) expect(accessFor(request(op, '/workspace/a')).right).toBe('r')
    expect(accessFor(request('write', '/workspace/a')).right).toBe('w')
    expect(accessFor(request('mkdir', '/workspace/d')).right).toBe('w')
    expect(accessFor(request('remove', '/workspace/a')).right).toBe('w')
    expect(accessFor(request('write', '/cap/nostr/submit')).right).toBe('x')
    expect(accessFor(request('write', '/cap/http/request')).right).toBe('x')
    expect(accessFor(request('write', '/cap/ws/control')).right).toBe('x')
    expect(accessFor(request('write', '/cap/ws/conns/conn-1/out')).right).toBe('x')
    expect(accessFor(request('read', '/cap/http/responses/req-1.json')).right).toBe('r')
    expect(accessFor(request('write', '/capsule/a')).right).toBe('w')
  })

  it('checks both ends of a rename', () => {
    expect(accessFor(request('rename', '/workspace/a', { to: '/workspace/b' }))).toEqual({ right: 'w', paths: ['/workspace/a', '/workspace/b'], ownerOnly: false })
    expect(accessFor(request('rename', '/workspace/a', { to: '/cap/x' })).right).toBe('x')
  })

  it('keeps the journal for the owner', () => {
    expect(accessFor(request('read', '/logs/audit.jsonl')).ownerOnly).toBe(true)
    expect(accessFor(request('rename', '/logs/x', { to: '/logs/audit.jsonl' })).ownerOnly).toBe(true)
    expect(accessFor(request('read', '/logs/stdout.log')).ownerOnly).toBe(false)
  })

  it('lets anyone end their own watch', () => {
    expect(accessFor(request('unwatch', '/workspace', { watch_id: 'a'.repeat(64) })).right).toBeNull()
  })
})
