/** NIP-01 REQ filters over stored events, and REQs the relay must refuse with CLOSED. */
import { describe, expect, it } from 'vitest'
import { ids, newKey, now, prefixed, randomHex, sign, signMany, sortedIds, uniq, useClients, type Event } from './helpers'
import { MAIN_LIMITS } from './platform'

const connect = useClients()
const base = now() - 5000

describe('filter conditions', () => {
  it('ids selects exactly the listed events', async () => {
    const c = await connect()
    const events = signMany(newKey(), 3)
    await c.publishAll(events)
    expect(sortedIds(await c.query({ ids: [events[0].id, events[2].id] }))).toEqual(sortedIds([events[0], events[2]]))
  })

  it('authors selects only those authors', async () => {
    const c = await connect()
    const [a, b, other] = [newKey(), newKey(), newKey()]
    const events = [...signMany(a, 2), ...signMany(b, 2), ...signMany(other, 2)]
    await c.publishAll(events)
    expect(sortedIds(await c.query({ authors: [a.pk, b.pk] }))).toEqual(sortedIds(events.slice(0, 4)))
  })

  it('kinds selects only those kinds, combined with authors by AND', async () => {
    const c = await connect()
    const k = newKey()
    const events = [1, 7, 1111, 4].map((kind) => sign(k, { kind }))
    await c.publishAll([...events, sign(newKey(), { kind: 7 })])
    expect(sortedIds(await c.query({ authors: [k.pk], kinds: [7, 1111] }))).toEqual(sortedIds(events.slice(1, 3)))
  })

  it('#e, #p and #t select by tag value', async () => {
    const c = await connect()
    const [eRef, pRef, t] = [randomHex(), randomHex(), uniq()]
    const target = sign(newKey(), { tags: [['e', eRef], ['p', pRef], ['t', t]] })
    const decoy = sign(newKey(), { tags: [['e', randomHex()], ['p', randomHex()], ['t', uniq()]] })
    await c.publishAll([target, decoy])
    expect(ids(await c.query({ '#e': [eRef] }))).toEqual([target.id])
    expect(ids(await c.query({ '#p': [pRef] }))).toEqual([target.id])
    expect(ids(await c.query({ '#t': [t, uniq()] }))).toEqual([target.id])
  })

  it('several tag conditions must all match', async () => {
    const c = await connect()
    const [t, pRef] = [uniq(), randomHex()]
    const both = sign(newKey(), { tags: [['t', t], ['p', pRef]] })
    const onlyT = sign(newKey(), { tags: [['t', t], ['p', randomHex()]] })
    await c.publishAll([both, onlyT])
    expect(ids(await c.query({ '#t': [t], '#p': [pRef] }))).toEqual([both.id])
  })

  it('uppercase tag letters are distinct from lowercase ones', async () => {
    const c = await connect()
    const v = uniq()
    const upper = sign(newKey(), { tags: [['T', v]] })
    const lower = sign(newKey(), { tags: [['t', v]] })
    await c.publishAll([upper, lower])
    expect(ids(await c.query({ '#T': [v] }))).toEqual([upper.id])
    expect(ids(await c.query({ '#t': [v] }))).toEqual([lower.id])
  })

  it('only the first value of a tag is indexed', async () => {
    const c = await connect()
    const [first, second] = [uniq(), uniq()]
    const e = sign(newKey(), { tags: [['t', first, second]] })
    await c.publishAll([e])
    expect(ids(await c.query({ '#t': [first] }))).toEqual([e.id])
    expect(await c.query({ '#t': [second] })).toEqual([])
  })

  it('since and until are inclusive', async () => {
    const c = await connect()
    const k = newKey()
    const events = [0, 1, 2, 3, 4].map((i) => sign(k, { created_at: base + i }))
    await c.publishAll(events)
    const got = await c.query({ authors: [k.pk], since: base + 1, until: base + 3 })
    expect(sortedIds(got)).toEqual(sortedIds(events.slice(1, 4)))
  })

  it('limit returns the newest events, newest first', async () => {
    const c = await connect()
    const k = newKey()
    const events = [3, 0, 4, 1, 2].map((i) => sign(k, { created_at: base + i }))
    await c.publishAll(events)
    const got = await c.query({ authors: [k.pk], limit: 3 })
    expect(got.map((e) => e.created_at)).toEqual([base + 4, base + 3, base + 2])
  })

  it('without limit, stored events still come newest first', async () => {
    const c = await connect()
    const k = newKey()
    await c.publishAll([2, 0, 1].map((i) => sign(k, { created_at: base + i })))
    expect((await c.query({ authors: [k.pk] })).map((e) => e.created_at)).toEqual([base + 2, base + 1, base])
  })

  it('ties on created_at are broken by lowest id first, also under limit', async () => {
    const c = await connect()
    const k = newKey()
    const same = signMany(k, 6, { created_at: base + 10 })
    const older = sign(k, { created_at: base + 9 })
    await c.publishAll([older, ...same])
    const byId = sortedIds(same)
    expect(ids(await c.query({ authors: [k.pk] }))).toEqual([...byId, older.id])
    expect(ids(await c.query({ authors: [k.pk], limit: 4 }))).toEqual(byId.slice(0, 4))
  })

  it('several filters are ORed, and an event matching two filters comes once', async () => {
    const c = await connect()
    const [a, b] = [newKey(), newKey()]
    const events = [...signMany(a, 3), ...signMany(b, 2)]
    await c.publishAll(events)
    const got = await c.query({ authors: [a.pk] }, { ids: [events[0].id, events[3].id] }, { authors: [b.pk], kinds: [1] })
    expect(got).toHaveLength(5)
    expect(sortedIds(got)).toEqual(sortedIds(events))
  })

  it('limit applies to each filter separately', async () => {
    const c = await connect()
    const [a, b] = [newKey(), newKey()]
    const [ea, eb] = [[0, 1, 2].map((i) => sign(a, { created_at: base + i })), [0, 1, 2].map((i) => sign(b, { created_at: base + i }))]
    await c.publishAll([...ea, ...eb])
    const got = await c.query({ authors: [a.pk], limit: 1 }, { authors: [b.pk], limit: 2 })
    expect(ids(got).sort()).toEqual([ea[2].id, eb[2].id, eb[1].id].sort())
  })

  it('300 authors or 300 ids in one filter return every matching event', async () => {
    const c = await connect()
    const t = uniq()
    const events: Event[] = Array.from({ length: 300 }, () => sign(newKey(), { tags: [['t', t]] }))
    await c.publishAll(events)
    const want = sortedIds(events)
    expect(sortedIds(await c.query({ authors: events.map((e) => e.pubkey) }))).toEqual(want)
    expect(sortedIds(await c.query({ ids: events.map((e) => e.id) }))).toEqual(want)
    expect(sortedIds(await c.query({ authors: events.map((e) => e.pubkey), '#t': [t] }))).toEqual(want)
    const few = await c.query({ authors: [...Array.from({ length: 299 }, randomHex), events[7].pubkey] })
    expect(ids(few)).toEqual([events[7].id])
    const byTag = await c.query({ '#t': [...Array.from({ length: 299 }, () => uniq()), t], limit: 500 })
    expect(sortedIds(byTag)).toEqual(want)
  })
})

describe('REQs refused with CLOSED', () => {
  const refusal = async (subId: string, ...filters: unknown[]) => (await connect()).refusedReq(subId, ...filters)

  it('a subscription id longer than 64 characters (invalid:)', async () => {
    expect(await refusal('x'.repeat(65), {})).toMatch(prefixed('invalid'))
  })

  it('accepts a subscription id of exactly 64 characters', async () => {
    const c = await connect()
    await expect(c.subscribe('y'.repeat(64), { ids: [randomHex()] })).resolves.toEqual([])
  })

  it('an empty subscription id', async () => {
    expect(await refusal('', {})).toMatch(/^[a-z-]+: /)
  })

  it.each([
    ['non-hex authors', { authors: ['not-hex'] }],
    ['short hex ids', { ids: ['abcd'] }],
    ['uppercase hex #p', { '#p': [randomHex().toUpperCase()] }],
    ['kinds as strings', { kinds: ['1'] }],
    ['since as a string', { since: '100' }],
    ['negative limit', { limit: -1 }],
    ['a filter that is not an object', 'filter'],
    ['a tag filter that is not a list', { '#t': 'x' }],
  ])('an invalid filter: %s (invalid:)', async (_name, filter) => {
    expect(await refusal('bad', filter)).toMatch(prefixed('invalid'))
  })

  it('an unknown filter key (invalid: or unsupported:)', async () => {
    expect(await refusal('unknown', { kinds: [1], search: 'x' })).toMatch(/^(invalid|unsupported): /)
  })

  it('a REQ without filters', async () => {
    expect(await refusal('none')).toMatch(/^[a-z-]+: /)
  })

  it('more filters than max_filters, while max_filters are served', async () => {
    const c = await connect()
    const f = { ids: [randomHex()] }
    expect(await c.refusedReq('many', ...Array(MAIN_LIMITS.MAX_FILTERS + 1).fill(f))).toMatch(/^[a-z-]+: /)
    await expect(c.subscribe('enough', ...Array(MAIN_LIMITS.MAX_FILTERS).fill(f))).resolves.toEqual([])
  })
})
