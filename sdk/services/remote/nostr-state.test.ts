import { describe, expect, it } from 'vitest'
import { connectivity, finalRefusal, Sequence } from './nostr-state'

describe('connectivity', () => {
  const status = (...states: Array<{ state: string; authenticated?: boolean; error?: string }>) => ({
    status: 'ready', connections: Object.fromEntries(states.map((s, i) => [`ws://r${i}/`, s])),
  })

  it('is up once a connection is open and authenticated', () => {
    expect(connectivity(status({ state: 'disconnected' }, { state: 'open', authenticated: true }))).toEqual({ state: 'up' })
    expect(connectivity(status({ state: 'open', authenticated: false }))).toEqual({ state: 'open' })
    expect(connectivity(status({ state: 'connecting' }, { state: 'disconnected' }))).toEqual({ state: 'connecting' })
  })

  it('is down, saying why, when nothing can carry a request', () => {
    expect(connectivity(status({ state: 'disconnected', error: 'ECONNREFUSED' }))).toEqual({ state: 'down', reason: 'no relay connection (ws://r0/: ECONNREFUSED)' })
    expect(connectivity(status())).toEqual({ state: 'down', reason: 'no relays to send through' })
    expect(connectivity({ ...status({ state: 'open', authenticated: true }), status: 'closed' })).toMatchObject({ state: 'down' })
  })
})

describe('finalRefusal', () => {
  const refused = (...messages: string[]) => ({
    state: 'refused', relays: Object.fromEntries(messages.map((message, i) => [`ws://r${i}/`, { accepted: false, message, at: 1 }])),
  })

  it('ends a request every relay refused for good, with a code from the reason', () => {
    expect(finalRefusal(refused('invalid: content too long (max 2000 characters)'), '/a')).toMatchObject({ code: 'too-large', path: '/a' })
    expect(finalRefusal(refused('restricted: not allowed'))?.code).toBe('permission-denied')
    expect(finalRefusal(refused('error: could not store'))?.code).toBe('unavailable')
    expect(finalRefusal(refused('duplicate: a newer version of this replaceable event is stored'))?.code).toBe('conflict')
  })

  it('waits while a relay may still take it: pending, accepted, a retried refusal, a failed send', () => {
    expect(finalRefusal({ state: 'pending', relays: {} })).toBeNull()
    expect(finalRefusal({ state: 'accepted', relays: { 'ws://a/': { accepted: true, message: '' } } })).toBeNull()
    expect(finalRefusal(refused('invalid: no', 'auth-required: log in'))).toBeNull()
    expect(finalRefusal(refused('rate-limited: slow down'))).toBeNull()
    expect(finalRefusal({ state: 'refused', relays: { 'ws://a/': { accepted: false, message: 'invalid: x' }, 'ws://b/': { error: 'timeout' } } })).toBeNull()
  })
})

describe('Sequence', () => {
  it('takes seq numbers densely from 1, counts what was missed, and drops repeats', () => {
    const s = new Sequence()
    expect(s.accept(1)).toEqual({ fresh: true, missed: 0 })
    expect(s.accept(2)).toEqual({ fresh: true, missed: 0 })
    expect(s.accept(2)).toEqual({ fresh: false, missed: 0 })
    expect(s.accept(5)).toEqual({ fresh: true, missed: 2 })
    expect(s.accept(4)).toEqual({ fresh: false, missed: 0 })
    expect(s.accept(6)).toEqual({ fresh: true, missed: 0 })
  })

  it('reports a first notification that is not 1 as a gap', () => {
    expect(new Sequence().accept(3)).toEqual({ fresh: true, missed: 2 })
  })
})
