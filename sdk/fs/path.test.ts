import { describe, expect, it } from 'vitest'
import { FsError } from './error'
import { baseName, isUnder, normalizePath, parentOf, relativeTo } from './path'

describe('normalizePath', () => {
  it('keeps canonical paths and drops one trailing slash', () => {
    expect(normalizePath('/')).toBe('/')
    expect(normalizePath('/a/b')).toBe('/a/b')
    expect(normalizePath('/a/b/')).toBe('/a/b')
  })

  it.each(['', 'a/b', '/a//b', '//', '/a/./b', '/a/../b', '/..', '/a/\0', '/' + 'x'.repeat(256), '/a' + '/b'.repeat(2100)])(
    'refuses %j as invalid-path',
    (path) => {
      expect(() => normalizePath(path)).toThrow(FsError)
      try {
        normalizePath(path)
      } catch (e) {
        expect((e as FsError).code).toBe('invalid-path')
      }
    },
  )
})

describe('path relations', () => {
  it('compares prefixes at a slash boundary', () => {
    expect(isUnder('/task/spec.json', '/task')).toBe(true)
    expect(isUnder('/task', '/task')).toBe(true)
    expect(isUnder('/taskforce/x', '/task')).toBe(false)
    expect(isUnder('/anything', '/')).toBe(true)
  })

  it('splits parents, names and relative paths', () => {
    expect(parentOf('/a/b/c')).toBe('/a/b')
    expect(parentOf('/a')).toBe('/')
    expect(baseName('/a/b/c')).toBe('c')
    expect(relativeTo('/cap/nostr/inbox', '/cap/nostr')).toBe('/inbox')
    expect(relativeTo('/cap/nostr', '/cap/nostr')).toBe('/')
  })
})
