import { describe, expect, it } from 'vitest'
import type { NostrEvent } from '../nostr/signer'
import { announcementTemplate, heartbeatTemplate, latestAnnouncements, readAnnouncement } from './announcement'
import { defineDvm } from './define'

const ann = (pubkey: string, d: string, createdAt: number, content = '{}', id = 'i'): NostrEvent => ({
  id: id.repeat(64), pubkey: pubkey.repeat(64), sig: '', created_at: createdAt, kind: 31990, tags: [['d', d], ['k', '5050']], content,
})

describe('announcementTemplate', () => {
  it('writes d and k tags and the info with its price as content', () => {
    const def = defineDvm({ kinds: [5050, 5001], info: { name: 'My Echo!', about: 'echoes' }, price: 3000, handle: async () => '' })
    const t = announcementTemplate(def, 5)
    expect(t).toMatchObject({ kind: 31990, created_at: 5, tags: [['d', 'my-echo'], ['k', '5050'], ['k', '5001']] })
    expect(JSON.parse(t.content)).toEqual({ name: 'My Echo!', about: 'echoes', price: 3000, encryptionSupported: true })
  })
  it('reads back what it writes, as the relay registry does', () => {
    const def = defineDvm({ kinds: [5050], id: 'e1', info: { name: 'e', about: 'a' }, handle: async () => '' })
    const event = { ...announcementTemplate(def), id: 'f'.repeat(64), pubkey: 'a'.repeat(64), sig: '' }
    expect(readAnnouncement(event)).toMatchObject({ d: 'e1', kinds: [5050], name: 'e', about: 'a', price: 0 })
  })
})

describe('readAnnouncement', () => {
  it('prefers an amount tag and tolerates content that is not JSON', () => {
    expect(readAnnouncement({ ...ann('p', 'x', 1, 'not json'), tags: [['k', '5050'], ['amount', '500']] })).toMatchObject({ price: 500, name: '', metadata: {} })
  })
  it('refuses an announcement without k tags', () => {
    expect(readAnnouncement({ ...ann('p', 'x', 1), tags: [['d', 'x']] })).toEqual({ error: expect.any(String) })
  })
})

describe('latestAnnouncements', () => {
  it('keeps the newest per pubkey and d, and drops unreadable ones', () => {
    const events = [ann('a', 'x', 1, '{"name":"old"}', '1'), ann('a', 'x', 2, '{"name":"new"}', '2'), ann('a', 'y', 1, '{"name":"other"}', '3'), ann('b', 'x', 1, '{}', '4')]
    events.push({ ...ann('c', 'x', 1), tags: [['d', 'x']] })
    const names = latestAnnouncements(events).map((a) => `${a.pubkey[0]}:${a.d}:${a.name}`)
    expect(names.sort()).toEqual(['a:x:new', 'a:y:other', 'b:x:'])
  })
})

describe('heartbeatTemplate', () => {
  it('expires ttl seconds after it was made', () => {
    expect(heartbeatTemplate(60, 100)).toEqual({ kind: 11998, created_at: 100, tags: [['expiration', '160']], content: '' })
  })
})
