import { describe, expect, it } from 'vitest'
import { checkAuthEvent } from './auth'
import type { NostrEvent } from './event'

const now = 1_000_000
const auth = (tags: string[][], p: Partial<NostrEvent> = {}): NostrEvent => ({
  id: '0'.repeat(64), pubkey: 'a'.repeat(64), sig: '0'.repeat(128), content: '', kind: 22242, created_at: now, tags, ...p,
})
const good = [['relay', 'wss://relay.example.com/'], ['challenge', 'c1']]

describe('checkAuthEvent', () => {
  it('accepts the right challenge for this host, scheme and slash aside', () => {
    expect(checkAuthEvent(auth(good), 'c1', 'relay.example.com', now)).toBeNull()
    expect(checkAuthEvent(auth([['relay', 'ws://RELAY.example.com'], ['challenge', 'c1']]), 'c1', 'relay.example.com', now)).toBeNull()
  })
  it.each([
    ['another kind', auth(good, { kind: 1 })],
    ['a stale created_at', auth(good, { created_at: now - 601 })],
    ['a future created_at', auth(good, { created_at: now + 601 })],
    ['another challenge', auth([good[0], ['challenge', 'c2']])],
    ['no relay tag', auth([good[1]])],
    ['another relay', auth([['relay', 'wss://evil.example.com'], good[1]])],
    ['a relay tag that is no URL', auth([['relay', 'relay.example.com'], good[1]])],
  ])('refuses %s', (_, e) => expect(checkAuthEvent(e, 'c1', 'relay.example.com', now)).toMatch(/^invalid: /))
})
