import { env } from 'cloudflare:test'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import type { Filter } from '../protocol/filter'
import { EventStore } from './event-store'
import { selectEvents } from './query'

const store = new EventStore(env.DB)
const hex = (c: string) => c.repeat(64)
const now = Math.floor(Date.now() / 1000)

describe('query plans', () => {
  const plan = async (f: Filter) => {
    const { sql, params } = new SQLiteAsyncDialect().sqlToQuery(selectEvents(f, 50, now))
    const rows = await env.DB.prepare('EXPLAIN QUERY PLAN ' + sql).bind(...params).all<{ detail: string }>()
    return rows.results.map((r) => r.detail).join('\n')
  }
  it.each<[string, Filter]>([
    ['ids', { ids: [hex('1')] }],
    ['authors', { authors: [hex('1'), hex('2')] }],
    ['authors and kinds', { authors: [hex('1')], kinds: [0, 3] }],
    ['kinds', { kinds: [1] }],
    ['#e', { tags: { e: [hex('1')] } }],
    ['#p with kinds and since', { kinds: [7], since: 10, tags: { p: [hex('1')] } }],
    ['time range', { since: 10, until: 20 }],
  ])('%s uses an index', async (_, f) => {
    expect(await plan(f)).not.toMatch(/SCAN (events|tags)(?! USING)/)
  })

  it('reads author and kind filters from the (pubkey, kind) index', async () => {
    expect(await plan({ authors: [hex('1')], kinds: [1] })).toMatch(/USING INDEX events_pubkey_kind \(pubkey=\? AND kind=\?\)/)
    expect(await plan({ authors: [hex('1'), hex('2')], kinds: [0, 3] })).toMatch(/USING INDEX events_pubkey_kind/)
  })

  it.each<[string, Filter]>([
    ['one author', { authors: [hex('1')] }],
    ['one kind', { kinds: [1] }],
    ['one author and kind', { authors: [hex('1')], kinds: [0] }],
    ['one #e value', { tags: { e: [hex('1')] } }],
  ])('%s reads rows in result order, with no sort', async (_, f) => {
    expect(await plan(f)).not.toMatch(/TEMP B-TREE/)
  })
})

describe('EventStore', () => {
  it('answers filters with more values than D1 binds, newest first', async () => {
    const keys = Array.from({ length: 300 }, () => generateSecretKey())
    const events = keys.map((sk, i) => finalizeEvent({ kind: 1, created_at: now - i, tags: [], content: String(i) }, sk))
    const { outcomes } = await store.write(events)
    expect(outcomes.every((o) => o.stored)).toBe(true)
    const authors = events.map((e) => e.pubkey)
    const rows = await store.query({ authors }, 500, now)
    expect(rows.map((r) => JSON.parse(r).id)).toEqual(events.map((e) => e.id))
    expect(await store.count([{ authors }, { ids: events.slice(0, 10).map((e) => e.id) }], now)).toBe(300)
    expect(await store.query({ ids: events.map((e) => e.id) }, 7, now)).toHaveLength(7)
  })

  it('returns an event matching several values of one tag once', async () => {
    const sk = generateSecretKey()
    const e = finalizeEvent({ kind: 1, created_at: now, tags: [['t', 'twice-a'], ['t', 'twice-b']], content: '' }, sk)
    await store.write([e])
    expect(await store.query({ tags: { t: ['twice-a', 'twice-b'] } }, 10, now)).toHaveLength(1)
    expect(await store.count([{ tags: { t: ['twice-a', 'twice-b'] } }], now)).toBe(1)
  })

  it('reports the stored versions a newer replaceable event removed', async () => {
    const sk = generateSecretKey()
    const older = finalizeEvent({ kind: 10002, created_at: now - 5, tags: [], content: '' }, sk)
    await store.write([older])
    const { removed } = await store.write([finalizeEvent({ kind: 10002, created_at: now, tags: [], content: '' }, sk)])
    expect(removed).toEqual([older.id])
  })

  it('tells new, duplicate and deleted regular events apart in one batch', async () => {
    const sk = generateSecretKey()
    const gone = finalizeEvent({ kind: 1, created_at: now, tags: [['t', 'gone']], content: 'gone' }, sk)
    await store.write([gone])
    await store.write([finalizeEvent({ kind: 5, created_at: now, tags: [['e', gone.id]], content: '' }, sk)])
    const fresh = finalizeEvent({ kind: 1, created_at: now, tags: [['t', 'fresh']], content: 'fresh' }, sk)
    const { outcomes } = await store.write([fresh, fresh, gone])
    expect(outcomes).toEqual([{ stored: true, duplicate: false }, { stored: true, duplicate: true }, { stored: false, reason: expect.stringMatching(/^blocked: /) }])
    expect(await store.query({ tags: { t: ['gone'] } }, 10, now)).toEqual([])
    expect(await store.query({ tags: { t: ['fresh'] } }, 10, now)).toHaveLength(1)
  })

  it('removes tag rows with their events', async () => {
    const sk = generateSecretKey()
    const target = finalizeEvent({ kind: 1, created_at: now, tags: [['t', 'cascade-test']], content: '' }, sk)
    await store.write([target])
    const { removed } = await store.write([finalizeEvent({ kind: 5, created_at: now, tags: [['e', target.id]], content: '' }, sk)])
    expect(removed).toEqual([target.id])
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM tags WHERE event_id = ?').bind(target.id).first<{ n: number }>()
    expect(left?.n).toBe(0)
  })

  it('stops serving expired events and purges them', async () => {
    const sk = generateSecretKey()
    const expired = finalizeEvent({ kind: 1, created_at: now - 10, tags: [['expiration', String(now - 1)]], content: '' }, sk)
    const later = finalizeEvent({ kind: 1, created_at: now - 10, tags: [['expiration', String(now + 3600)]], content: '' }, sk)
    await store.write([expired, later])
    expect(await store.query({ authors: [expired.pubkey] }, 10, now)).toHaveLength(1)
    expect(await store.purgeExpired(now)).toBe(now + 3600)
    const row = await env.DB.prepare('SELECT id FROM events WHERE id = ?').bind(expired.id).first()
    expect(row).toBeNull()
  })
})
