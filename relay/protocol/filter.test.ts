import { describe, expect, it } from 'vitest'
import type { NostrEvent } from './event'
import { isEmptyFilter, matchAny, matchFilter, parseFilter, type Filter } from './filter'

const hex = (c: string) => c.repeat(64)
const event: NostrEvent = {
  id: hex('1'), pubkey: hex('2'), created_at: 100, kind: 1, content: '', sig: hex('3') + hex('3'),
  tags: [['e', hex('4'), 'wss://x'], ['t', 'nostr'], ['T', 'Upper'], ['expiration']],
}
const parse = (raw: unknown) => parseFilter(raw) as Filter

describe('parseFilter', () => {
  it('reads every NIP-01 field', () => {
    expect(parse({ ids: [hex('1')], authors: [hex('2')], kinds: [1], since: 1, until: 2, limit: 3, '#t': ['x'], '#T': ['Y'] })).toEqual({
      ids: [hex('1')], authors: [hex('2')], kinds: [1], since: 1, until: 2, limit: 3, tags: { t: ['x'], T: ['Y'] },
    })
  })
  it.each([
    ['non-hex author', { authors: ['npub1'] }, /^invalid:/],
    ['uppercase id', { ids: [hex('A')] }, /^invalid:/],
    ['prefix id', { ids: ['abcd'] }, /^invalid:/],
    ['non-hex #e', { '#e': ['x'] }, /^invalid:/],
    ['non-hex #p', { '#p': [hex('g')] }, /^invalid:/],
    ['kinds of strings', { kinds: ['1'] }, /^invalid:/],
    ['negative limit', { limit: -1 }, /^invalid:/],
    ['fractional since', { since: 1.5 }, /^invalid:/],
    ['a non-string tag value', { '#t': [1] }, /^invalid:/],
    ['an unknown key', { search: 'x' }, /^unsupported:/],
    ['a multi-letter tag', { '#tt': ['x'] }, /^unsupported:/],
    ['not an object', [], /^invalid:/],
  ])('refuses %s', (_, raw, reason) => expect((parseFilter(raw) as { error: string }).error).toMatch(reason))
})

describe('matchFilter', () => {
  it.each<[string, Filter, boolean]>([
    ['empty filter', {}, true],
    ['id', { ids: [hex('1')] }, true],
    ['other id', { ids: [hex('9')] }, false],
    ['author', { authors: [hex('9'), hex('2')] }, true],
    ['kind', { kinds: [0] }, false],
    ['since inclusive', { since: 100 }, true],
    ['since after', { since: 101 }, false],
    ['until inclusive', { until: 100 }, true],
    ['until before', { until: 99 }, false],
    ['tag value', { tags: { e: [hex('4')] } }, true],
    ['tag value elsewhere', { tags: { p: [hex('4')] } }, false],
    ['upper-case tag', { tags: { T: ['Upper'] } }, true],
    ['tag letters are case-sensitive', { tags: { t: ['Upper'] } }, false],
    ['all tag conditions', { tags: { t: ['nostr'], e: [hex('5')] } }, false],
    ['a tag without a value never matches', { tags: { expiration: [''] } }, false],
    ['all conditions together', { kinds: [1], authors: [hex('2')], tags: { t: ['nostr'] }, since: 50, until: 150 }, true],
  ])('%s', (_, f, expected) => expect(matchFilter(f, event)).toBe(expected))

  it('ORs several filters', () => {
    expect(matchAny([{ kinds: [0] }, { kinds: [1] }], event)).toBe(true)
    expect(matchAny([{ kinds: [0] }, { kinds: [2] }], event)).toBe(false)
  })
})

describe('isEmptyFilter', () => {
  it('knows filters that match nothing', () => {
    expect(isEmptyFilter({ ids: [] })).toBe(true)
    expect(isEmptyFilter({ tags: { t: [] } })).toBe(true)
    expect(isEmptyFilter({ since: 5, until: 4 })).toBe(true)
    expect(isEmptyFilter({ since: 5, until: 5 })).toBe(false)
  })
})
