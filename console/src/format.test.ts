import { describe, expect, it } from 'vitest'
import { ago, duration, msats, percent, shortId, shortKey, span } from './format'

describe('format', () => {
  it('shortens a pubkey to an npub with both ends', () => {
    const s = shortKey('7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e')
    expect(s).toMatch(/^npub1[a-z0-9]{5}…[a-z0-9]{6}$/)
  })
  it('leaves anything else alone', () => expect(shortKey('relay')).toBe('relay'))
  it.each([
    [null, '—'],
    [850.4, '850 ms'],
    [1234, '1.2 s'],
    [1000, '1 s'],
    [60_000, '1 min'],
    [42_000, '42 s'],
    [125_000, '2 min 5 s'],
    [7_260_000, '2 h 1 min'],
  ])('writes %s ms as %s', (ms, text) => expect(duration(ms)).toBe(text))
  it('says how long ago', () => {
    expect(ago(1000, 3000)).toBe('just now')
    expect(ago(0, 90_000)).toBe('1 min ago')
    expect(ago(0, 3 * 86400_000)).toBe('3 d ago')
  })
  it('writes shares and prices', () => {
    expect(percent(0.9876)).toBe('98.8%')
    expect(percent(null)).toBe('—')
    expect(msats(null)).toBe('not stated')
    expect(msats(0)).toBe('free')
    expect(msats(21_000)).toBe('21 sats')
    expect(msats(1500)).toBe('1,500 msats')
  })
  it('names bucket widths', () => expect([10_000, 300_000, 21_600_000, 86_400_000].map(span)).toEqual(['10 s', '5 min', '6 h', '1 d']))
})

describe('shortId', () => {
  it('keeps the first eight characters', () => expect(shortId('0123456789abcdef'.repeat(4))).toBe('01234567…'))
})
