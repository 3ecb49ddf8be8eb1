import { describe, expect, it } from 'vitest'
import { FS_ERROR_CODES, FsError } from '../../fs/error'
import {
  decode, entryResult, fsCodeOf, fsErrorOf, metadataOf, pageOf, readNotification, readOf, readResponse, requestBody, statResult,
  WIRE_CODES, wireChange, wireCodeOf, writeOf,
} from './protocol'

const thrown = (run: () => unknown) => {
  try {
    run()
  } catch (err) {
    return err
  }
  return undefined
}

describe('error codes', () => {
  it('maps every wire code to the FsError code it stands for', () => {
    expect(WIRE_CODES.map(fsCodeOf)).toEqual([
      'not-found', 'permission-denied', 'exists', 'not-a-directory', 'is-a-directory', 'not-empty', 'read-only', 'invalid-path',
      'too-large', 'rate-limited', 'conflict', 'io',
    ])
  })

  it('goes back and forth for every FsError code but the two the wire folds into another', () => {
    for (const code of FS_ERROR_CODES) {
      expect(WIRE_CODES).toContain(wireCodeOf(code))
      if (code !== 'unavailable' && code !== 'invalid-argument') expect(fsCodeOf(wireCodeOf(code))).toBe(code)
    }
    expect(wireCodeOf('unavailable')).toBe('EAGAIN')
    expect(wireCodeOf('invalid-argument')).toBe('EINVAL')
  })

  it('reads a code this version does not know as io, and keeps the message and the path', () => {
    expect(fsCodeOf('EWHATEVER')).toBe('io')
    expect(fsCodeOf('toString')).toBe('io')
    const error = fsErrorOf({ code: 'ECONFLICT', message: 'etag is 4, not 3' }, '/w/a')
    expect(error).toBeInstanceOf(FsError)
    expect([error.code, error.detail, error.path]).toEqual(['conflict', 'etag is 4, not 3', '/w/a'])
  })
})

describe('requests', () => {
  it('carries the version, the operation, the namespace, the path and the args', () => {
    expect(JSON.parse(requestBody('write', 'team', '/w/a', { data_b64: 'aGk=', create: true }))).toEqual({
      v: 1, op: 'write', ns: 'team', path: '/w/a', args: { data_b64: 'aGk=', create: true },
    })
    expect(JSON.parse(requestBody('stat', 'team', '/'))).toEqual({ v: 1, op: 'stat', ns: 'team', path: '/', args: {} })
  })
})

describe('results', () => {
  it('speaks the wire names of PROTOCOL.md, not the SDK\'s', () => {
    expect(statResult({ kind: 'dir', size: 2, modified: 9, version: '4', readonly: true })).toEqual({ is_dir: true, size: 2, modified: 9, readonly: true, etag: '4' })
    expect(entryResult({ name: 'a', kind: 'file', size: 3 })).toEqual({ name: 'a', is_dir: false, size: 3 })
    expect(wireChange({ type: 'rename', path: '/a', to: '/b' })).toEqual({ type: 'rename', path: '/a', to: '/b' })
    expect(wireChange({ type: 'modify', path: '/a', size: 3, version: '7' })).toEqual({ type: 'modify', path: '/a', size: 3, etag: '7' })
  })

  it('reads stat, entries, reads and writes in both directions', () => {
    const meta = { kind: 'file' as const, size: 3, modified: 9, version: '7', readonly: false }
    expect(decode('stat', statResult(meta), metadataOf)).toEqual(meta)
    const page = { entries: [entryResult({ name: 'd', kind: 'dir', size: 0 }), entryResult({ name: 'f', kind: 'file', size: 2 })], next_cursor: 'f' }
    expect(decode('page', page, pageOf)).toEqual({ entries: [{ name: 'd', kind: 'dir', size: 0 }, { name: 'f', kind: 'file', size: 2 }], next: 'f' })
    expect(decode('page', { entries: [] }, pageOf)).toEqual({ entries: [] })
    expect(decode('read', { data_b64: 'aGk=', eof: true, etag: '1' }, readOf)).toEqual({ data: { data_b64: 'aGk=' }, eof: true, etag: '1' })
    const blob = { x: 'a'.repeat(64), size: 5, url: '/blobs/x.bin' }
    expect(decode('read', { blob, eof: false, etag: '1' }, readOf)).toEqual({ data: { blob }, eof: false, etag: '1' })
    expect(decode('write', { size: 2, etag: '8' }, writeOf)).toEqual({ size: 2, etag: '8' })
  })

  it('refuses a result without the fields it needs as io, naming the field', () => {
    const cases: Array<() => unknown> = [
      () => decode('stat', { is_dir: false, size: -1, etag: '1' }, metadataOf, '/a'),
      () => decode('stat', { is_dir: false, size: 1 }, metadataOf, '/a'),
      () => decode('page', { entries: 'no' }, pageOf),
      () => decode('read', { blob: { x: 'nope', size: 1 }, etag: '1' }, readOf),
      () => decode('write', null, writeOf),
    ]
    const errors = cases.map(thrown) as FsError[]
    expect(errors.map((e) => e.code)).toEqual(['io', 'io', 'io', 'io', 'io'])
    expect(errors.map((e) => e.detail)).toEqual([
      'malformed stat from the bridge: size is not a count', 'malformed stat from the bridge: etag is not a string',
      'malformed page from the bridge: entries is not a list', 'malformed read from the bridge: blob.x is not a sha256',
      'malformed write from the bridge: not an object',
    ])
    expect(errors[0].path).toBe('/a')
  })
})

describe('responses and notifications', () => {
  it('reads a success and a refusal, and nothing else', () => {
    expect(readResponse('{"ok":true,"result":{"size":1}}')).toEqual({ ok: true, result: { size: 1 } })
    expect(readResponse('{"ok":false,"error":{"code":"ENOENT","message":"no"}}')).toEqual({ ok: false, error: { code: 'ENOENT', message: 'no' } })
    for (const bad of ['nope', '[]', '{"ok":true}', '{"ok":false,"error":{}}', '{"result":{}}']) expect(readResponse(bad)).toBeNull()
  })

  it('reads notifications into SDK changes, and the end of a watch', () => {
    const changes = [wireChange({ type: 'rename', path: '/a', to: '/b' }), wireChange({ type: 'modify', path: '/c', size: 3, version: '7' })]
    expect(changes[1]).toEqual({ type: 'modify', path: '/c', size: 3, etag: '7' })
    expect(readNotification(JSON.stringify({ seq: 2, changes }))).toEqual({
      seq: 2, changes: [{ type: 'rename', path: '/a', to: '/b' }, { type: 'modify', path: '/c', size: 3, version: '7' }],
    })
    expect(readNotification('{"seq":3,"changes":[],"closed":"revoked"}')).toEqual({ seq: 3, changes: [], closed: 'revoked' })
    expect(readNotification('{"seq":4,"changes":[],"closed":"some-new-reason"}')?.closed).toBe('some-new-reason')
    for (const bad of ['{"seq":"1","changes":[]}', '{"seq":1}', '{"seq":1,"changes":[{"type":"explode","path":"/a"}]}', 'x']) {
      expect(readNotification(bad)).toBeNull()
    }
  })
})
