import { describe, expect, it } from 'vitest'
import { checkMounts, checkNamespaceId } from './record'

const known = (s: string) => s === 'mem' || s.startsWith('files')

describe('checkMounts', () => {
  it('normalises paths and defaults the mode to rw', () => {
    expect(checkMounts([{ path: '/workspace/', service: 'files' }, { path: '/task', service: 'mem', mode: 'ro' }], known)).toEqual({
      mounts: [{ path: '/workspace', service: 'files', mode: 'rw' }, { path: '/task', service: 'mem', mode: 'ro' }],
    })
    expect(checkMounts([{ path: '/logs', service: 'mem' }], known)).toHaveProperty('mounts')
  })
  it.each([
    ['no mounts', []],
    ['a bad path', [{ path: '/a/../b', service: 'mem' }]],
    ['the journal', [{ path: '/logs/audit.jsonl', service: 'mem' }]],
    ['below the journal', [{ path: '/logs/audit.jsonl/x', service: 'mem' }]],
    ['a path twice', [{ path: '/a', service: 'mem' }, { path: '/a/', service: 'mem' }]],
    ['an unknown service', [{ path: '/a', service: 'ftp' }]],
    ['a bad mode', [{ path: '/a', service: 'mem', mode: 'rwx' }]],
    ['something that is not a list', { path: '/a' }],
  ])('refuses %s', (_, raw) => expect(checkMounts(raw, known)).toMatchObject({ error: { code: 'EINVAL' } }))
})

describe('checkNamespaceId', () => {
  it('takes URL- and key-safe ids only', () => {
    expect(checkNamespaceId('team-1.a_b')).toBeNull()
    for (const bad of ['', '-x', 'a/b', 'a:b', 'x'.repeat(64), 7]) expect(checkNamespaceId(bad)).not.toBeNull()
  })
})
