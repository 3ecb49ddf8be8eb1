import { describe, expect, it } from 'vitest'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import type { NostrEvent } from '../../nostr/signer'
import { Outbox } from './outbox'

const key = generateSecretKey()
const event = (content = 'x'): NostrEvent => finalizeEvent({ kind: 1, created_at: 1, tags: [], content }, key)
const [A, B] = ['wss://a/', 'wss://b/']

describe('Outbox', () => {
  it('hands each relay an event once until it answers', () => {
    const box = new Outbox(10)
    const e = event()
    box.queue(e)
    expect(box.take(A)).toEqual([e])
    expect(box.take(A)).toEqual([])
    expect(box.take(B)).toEqual([e])
  })

  it('lets an event leave only when a relay accepts it, recording each answer', () => {
    const box = new Outbox(10)
    const e = event()
    box.queue(e)
    box.take(A)
    box.take(B)
    expect(box.answer(A, e.id, false, 'invalid: too long', 5)).toEqual({ created: true, left: false, evicted: [] })
    expect(box.record(e.id)).toEqual({ id: e.id, kind: 1, state: 'refused', relays: { [A]: { accepted: false, message: 'invalid: too long', at: 5 } } })
    expect(box.ids()).toEqual([e.id])
    // A refusing relay is not asked again.
    expect(box.take(A)).toEqual([])
    expect(box.answer(B, e.id, true, '', 6)).toEqual({ created: false, left: true, evicted: [] })
    expect(box.record(e.id)!.state).toBe('accepted')
    expect(box.size).toBe(0)
  })

  it('sends again to a relay that refused for want of AUTH or for rate, not for good', () => {
    const box = new Outbox(10)
    const e = event()
    box.queue(e)
    box.take(A)
    box.answer(A, e.id, false, 'auth-required: who are you', 5)
    expect(box.record(e.id)!.state).toBe('refused')
    expect(box.take(A)).toEqual([e])
    box.answer(A, e.id, false, 'rate-limited: slow down', 6)
    expect(box.take(A)).toEqual([e])
    box.answer(A, e.id, true, '', 7)
    expect(box.size).toBe(0)
  })

  it('records a failed send, retries it, and lets a late OK replace the failure', () => {
    const box = new Outbox(10)
    const e = event()
    box.queue(e)
    box.take(A)
    expect(box.fail(A, e.id, 'publish timed out', 5)).toMatchObject({ created: true, left: false })
    expect(box.record(e.id)).toMatchObject({ state: 'pending', relays: { [A]: { error: 'publish timed out' } } })
    expect(box.take(A)).toEqual([e])
    box.answer(A, e.id, true, '', 6)
    expect(box.record(e.id)).toMatchObject({ state: 'accepted', relays: { [A]: { accepted: true } } })
  })

  it('keeps an OK over a later failure report for the same send', () => {
    const box = new Outbox(10)
    const e = event()
    box.queue(e)
    box.take(A)
    box.answer(A, e.id, false, 'blocked: no', 5)
    expect(box.fail(A, e.id, 'blocked: no', 5)).toBeUndefined()
    expect(box.record(e.id)!.relays[A]).toEqual({ accepted: false, message: 'blocked: no', at: 5 })
  })

  it('ignores answers about events it never held, and withdraws on request', () => {
    const box = new Outbox(10)
    expect(box.answer(A, event().id, true, '', 1)).toBeUndefined()
    const e = event()
    box.queue(e)
    expect(box.withdraw(e.id)).toBe(true)
    expect(box.withdraw(e.id)).toBe(false)
    expect(box.take(A)).toEqual([])
  })

  it('bounds the records of events that left, never those still queued', () => {
    const box = new Outbox(1)
    const [stuck, first, second] = [event('s'), event('1'), event('2')]
    for (const e of [stuck, first, second]) box.queue(e)
    box.answer(A, stuck.id, false, 'invalid: no', 1)
    box.answer(A, first.id, true, '', 1)
    expect(box.answer(A, second.id, true, '', 2)!.evicted).toEqual([first.id])
    expect(box.recordIds()).toEqual([stuck.id, second.id])
  })
})
