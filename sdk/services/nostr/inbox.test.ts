import { describe, expect, it } from 'vitest'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import type { NostrEvent } from '../../nostr/signer'
import { Inbox } from './inbox'

const key = generateSecretKey()
const signed = (content: string): NostrEvent => finalizeEvent({ kind: 1, created_at: 1, tags: [], content }, key)
/** A fresh object, as it comes off the wire (nostr-tools caches verification on the object). */
const wire = (e: NostrEvent): NostrEvent => JSON.parse(JSON.stringify(e))

describe('Inbox', () => {
  it('keeps verified events once each, in arrival order', () => {
    const inbox = new Inbox(10)
    const [a, b] = [signed('a'), signed('b')]
    expect(inbox.add(wire(b))).toMatchObject({ added: wire(b), evicted: [] })
    expect(inbox.add(wire(a))).toMatchObject({ added: wire(a) })
    expect(inbox.add(wire(b))).toEqual({ rejected: 'duplicate' })
    expect(inbox.ids()).toEqual([b.id, a.id])
    expect(inbox.get(a.id)).toEqual(wire(a))
  })

  it('refuses forged events and counts them', () => {
    const inbox = new Inbox(10)
    const [a, b] = [signed('a'), signed('b')]
    expect(inbox.add({ ...wire(a), sig: b.sig })).toEqual({ rejected: 'invalid' })
    expect(inbox.add({ ...wire(a), content: 'changed' })).toEqual({ rejected: 'invalid' })
    expect(inbox.add({ ...wire(a), tags: 'x' } as unknown as NostrEvent)).toEqual({ rejected: 'invalid' })
    expect(inbox.invalidCount).toBe(3)
    expect(inbox.size).toBe(0)
    // A forgery does not stop the real event from arriving later.
    expect(inbox.add(wire(a))).toMatchObject({ added: wire(a) })
  })

  it('evicts the oldest beyond the limit, and does not take an evicted event back as new', () => {
    const inbox = new Inbox(2)
    const [a, b, c] = [signed('a'), signed('b'), signed('c')]
    inbox.add(wire(a))
    inbox.add(wire(b))
    expect(inbox.add(wire(c))).toMatchObject({ evicted: [a.id] })
    expect(inbox.ids()).toEqual([b.id, c.id])
    expect(inbox.has(a.id)).toBe(true)
    expect(inbox.add(wire(a))).toEqual({ rejected: 'duplicate' })
  })

  it('keeps only the NIP-01 fields', () => {
    const inbox = new Inbox(2)
    const a = signed('a')
    inbox.add({ ...wire(a), extra: 1 } as NostrEvent)
    expect(Object.keys(inbox.get(a.id)!).sort()).toEqual(['content', 'created_at', 'id', 'kind', 'pubkey', 'sig', 'tags'])
  })
})
