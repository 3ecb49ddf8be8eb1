import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { checkBlossomAuth } from './auth'

const now = 1_700_000_000
const x = 'ab'.repeat(32)
const event = (tags: string[][], over: { kind?: number; created_at?: number } = {}) =>
  finalizeEvent({ kind: 24242, created_at: now - 5, content: 'Upload blob', tags, ...over }, generateSecretKey())

describe('Blossom authorization events', () => {
  it('accepts an upload event naming the blob, unexpired', () => {
    expect(checkBlossomAuth(event([['t', 'upload'], ['x', x], ['expiration', String(now + 60)]]), 'upload', now, x)).toBeNull()
    expect(checkBlossomAuth(event([['t', 'upload'], ['x', 'cd'.repeat(32)], ['x', x], ['expiration', String(now + 60)]]), 'upload', now, x)).toBeNull()
  })

  it('refuses wrong kind, future creation, missing or past expiration, wrong verb or another blob', () => {
    const good = [['t', 'upload'], ['x', x], ['expiration', String(now + 60)]]
    expect(checkBlossomAuth(event(good, { kind: 27235 }), 'upload', now, x)).toMatch(/kind/)
    expect(checkBlossomAuth(event(good, { created_at: now + 600 }), 'upload', now, x)).toMatch(/future/)
    expect(checkBlossomAuth(event([['t', 'upload'], ['x', x]]), 'upload', now, x)).toMatch(/expiration/)
    expect(checkBlossomAuth(event([['t', 'upload'], ['x', x], ['expiration', String(now)]]), 'upload', now, x)).toMatch(/expired/)
    expect(checkBlossomAuth(event([['t', 'delete'], ['x', x], ['expiration', String(now + 60)]]), 'upload', now, x)).toMatch(/t tag/)
    expect(checkBlossomAuth(event([['t', 'upload'], ['x', 'cd'.repeat(32)], ['expiration', String(now + 60)]]), 'upload', now, x)).toMatch(/x tag/)
  })
})
