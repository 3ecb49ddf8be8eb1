import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { answerOf, grantId, grantTemplate, parseAllow, requestTemplate, uploadAuthTemplate } from './events'

const bridgeKey = generateSecretKey()
const bridge = getPublicKey(bridgeKey)
const caller = 'c'.repeat(64)
const id = 'e'.repeat(64)

describe('requestTemplate', () => {
  it('addresses the bridge and expires with the answer window', () => {
    expect(requestTemplate(bridge, 'sealed', 1000)).toEqual({ kind: 25930, created_at: 1000, content: 'sealed', tags: [['p', bridge], ['expiration', '1060']] })
  })
})

describe('answerOf', () => {
  const signed = (kind: number, tags: string[][], key = bridgeKey) => finalizeEvent({ kind, created_at: 1, tags, content: '' }, key)
  it('recognises responses and notifications of the bridge by their e tag', () => {
    expect(answerOf(signed(25931, [['e', id], ['p', caller]]), bridge)).toEqual({ type: 'response', to: id })
    expect(answerOf(signed(25932, [['e', id], ['p', caller]]), bridge)).toEqual({ type: 'notification', to: id })
  })
  it('ignores anyone else, other kinds, and answers to nothing', () => {
    expect(answerOf(signed(25931, [['e', id]], generateSecretKey()), bridge)).toBeNull()
    expect(answerOf(signed(1, [['e', id]]), bridge)).toBeNull()
    expect(answerOf(signed(25931, [['p', caller]]), bridge)).toBeNull()
  })
})

describe('grants', () => {
  it('reads allow rules as path:rights', () => {
    expect(parseAllow('/workspace:rw')).toEqual({ path: '/workspace', rights: 'rw' })
    expect(parseAllow('/cap/nostr/:xrx')).toEqual({ path: '/cap/nostr', rights: 'xr' })
    expect(parseAllow('/a:b:r')).toEqual({ path: '/a:b', rights: 'r' })
    for (const bad of ['/workspace', '/workspace:', ':rw', '/w:rwz', 'workspace:rw', '/a/../b:r']) expect(() => parseAllow(bad)).toThrow()
  })

  it('makes a grant the owner signs, and a revocation that replaces it', () => {
    const spec = { grantee: caller, ns: 'team', allow: [parseAllow('/workspace:rw'), parseAllow('/task:r')], expiration: 2000 }
    expect(grantTemplate(spec, 1000)).toEqual({
      kind: 35931, created_at: 1000, content: '',
      tags: [['d', `team/${caller}`], ['p', caller], ['ns', 'team'], ['allow', '/workspace', 'rw'], ['allow', '/task', 'r'], ['expiration', '2000']],
    })
    const revocation = grantTemplate({ grantee: caller, ns: 'team', allow: [] }, 1001)
    expect(revocation.tags).toEqual([['d', grantId(spec)], ['p', caller], ['ns', 'team']])
    expect(grantTemplate({ ...spec, id: 'mine' }, 1).tags[0]).toEqual(['d', 'mine'])
  })
})

describe('uploadAuthTemplate', () => {
  it('authorises one blob upload for a while', () => {
    const t = uploadAuthTemplate('a'.repeat(64), 10, 1000)
    expect(t.kind).toBe(24242)
    expect(t.tags).toEqual([['t', 'upload'], ['x', 'a'.repeat(64)], ['size', '10'], ['expiration', '1300']])
  })
})
