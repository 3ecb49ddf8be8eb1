import { describe, expect, it } from 'vitest'
import { accessFor } from './access'
import { allows, authorize, readGrant, validGrants, type Grant } from './grants'
import { parseRequest } from './request'

const owner = 'a'.repeat(64)
const bob = 'b'.repeat(64)
const now = 1_700_000_000
const grantEvent = (tags: string[][], pubkey = owner) => ({ kind: 35931, pubkey, tags: [['d', 'g1'], ['p', bob], ['ns', 'team'], ...tags] })
const grant = (tags: string[][], pubkey = owner) => readGrant(grantEvent(tags, pubkey))!
const access = (op: string, path: string, args: object = {}) => {
  const r = parseRequest(JSON.stringify({ v: 1, op, ns: 'team', path, args }))
  if ('error' in r) throw new Error(r.error.message)
  return accessFor(r.ok)
}

describe('readGrant', () => {
  it('reads grantee, namespace, rules and expiration', () => {
    const g = grant([['allow', '/workspace/', 'rw'], ['allow', '/cap/nostr', 'rx'], ['expiration', String(now + 10)]])
    expect(g).toMatchObject({ owner, grantee: bob, ns: 'team', expiration: now + 10 })
    expect(g.allow.map((a) => [a.path, [...a.rights].join('')])).toEqual([['/workspace', 'rw'], ['/cap/nostr', 'rx']])
  })
  it('skips malformed rules and refuses what is not a grant', () => {
    expect(grant([['allow', '../x', 'rw'], ['allow', '/a', 'rwz'], ['allow', '/b']]).allow).toEqual([])
    expect(readGrant({ ...grantEvent([]), kind: 30000 })).toBeNull()
    expect(readGrant({ kind: 35931, pubkey: owner, tags: [['p', bob]] })).toBeNull()
  })
})

describe('validGrants', () => {
  const g = grant([['allow', '/workspace', 'rw']])
  it('keeps only the owner\'s unexpired grants to the caller on this namespace', () => {
    expect(validGrants([g], owner, 'team', bob, now)).toHaveLength(1)
    expect(validGrants([g], owner, 'other', bob, now)).toHaveLength(0)
    expect(validGrants([g], owner, 'team', owner, now)).toHaveLength(0)
    expect(validGrants([grant([['allow', '/workspace', 'rw']], 'c'.repeat(64))], owner, 'team', bob, now)).toHaveLength(0)
    expect(validGrants([grant([['expiration', String(now)]])], owner, 'team', bob, now)).toHaveLength(0)
    expect(validGrants([grant([['expiration', String(now + 1)]])], owner, 'team', bob, now)).toHaveLength(1)
  })
})

describe('authorize', () => {
  const rw = [grant([['allow', '/workspace', 'rw'], ['allow', '/task', 'r'], ['allow', '/cap/nostr', 'rx']])]
  const check = (grants: Grant[], op: string, path: string, args: object = {}) => authorize(bob, owner, grants, access(op, path, args))?.code ?? 'ok'

  it('lets the owner do anything, the journal included', () => {
    expect(authorize(owner, owner, [], access('write', '/cap/http/request'))).toBeNull()
    expect(authorize(owner, owner, [], access('read', '/logs/audit.jsonl'))).toBeNull()
  })

  it('gives a grantee what the rules cover, at a slash boundary', () => {
    expect(check(rw, 'write', '/workspace/src/a.ts')).toBe('ok')
    expect(check(rw, 'read', '/task/spec.json')).toBe('ok')
    expect(check(rw, 'write', '/task/spec.json')).toBe('EACCES')
    expect(check(rw, 'read', '/workspacex/a')).toBe('EACCES')
    expect(check(rw, 'stat', '/')).toBe('EACCES')
  })

  it('needs w on both ends of a rename', () => {
    expect(check(rw, 'rename', '/workspace/a', { to: '/workspace/b' })).toBe('ok')
    expect(check(rw, 'rename', '/workspace/a', { to: '/task/b' })).toBe('EACCES')
  })

  it('needs x, not w, for control writes', () => {
    expect(check(rw, 'write', '/cap/nostr/submit')).toBe('ok')
    expect(check([grant([['allow', '/cap', 'rw']])], 'write', '/cap/http/request')).toBe('EACCES')
    expect(check([grant([['allow', '/cap/http', 'x']])], 'write', '/cap/http/request')).toBe('ok')
  })

  it('keeps the journal from grantees, whatever they hold', () => {
    expect(check([grant([['allow', '/', 'rwx']])], 'read', '/logs/audit.jsonl')).toBe('EACCES')
    expect(check([grant([['allow', '/', 'rwx']])], 'read', '/logs/other.log')).toBe('ok')
  })

  it('takes the union of several grants', () => {
    const two = [grant([['allow', '/a', 'r']]), grant([['allow', '/a', 'w']])]
    expect(allows(two, '/a/x', 'r') && allows(two, '/a/x', 'w')).toBe(true)
  })
})
