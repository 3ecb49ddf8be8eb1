import { describe, expect, it } from 'vitest'
import { eventIdOf, parseClientMessage } from './message'

const limits = { maxSubidLength: 64, maxFilters: 2 }
const parse = (v: unknown) => parseClientMessage(typeof v === 'string' ? v : JSON.stringify(v), limits)

describe('parseClientMessage', () => {
  it('reads each verb', () => {
    expect(parse(['EVENT', { id: 'x' }])).toEqual({ type: 'EVENT', event: { id: 'x' } })
    expect(parse(['AUTH', { id: 'x' }])).toEqual({ type: 'AUTH', event: { id: 'x' } })
    expect(parse(['REQ', 's', { kinds: [1] }])).toEqual({ type: 'REQ', subId: 's', filters: [{ kinds: [1] }] })
    expect(parse(['COUNT', 's', {}, {}])).toEqual({ type: 'COUNT', subId: 's', filters: [{}, {}] })
    expect(parse(['CLOSE', 's'])).toEqual({ type: 'CLOSE', subId: 's' })
  })
  it.each([
    ['truncated JSON', '["REQ", "s", {'],
    ['a non-array', { a: 1 }],
    ['an empty array', []],
    ['an unknown verb', ['PING']],
    ['a number verb', [1]],
    ['EVENT without an event', ['EVENT']],
    ['EVENT with extra elements', ['EVENT', {}, {}]],
    ['CLOSE without an id', ['CLOSE']],
    ['CLOSE with a number', ['CLOSE', 1]],
    ['REQ with a number sub id', ['REQ', 1, {}]],
  ])('answers %s with a NOTICE', (_, v) => expect(parse(v).type).toBe('malformed'))
  it.each([
    ['an empty sub id', ['REQ', '', {}]],
    ['a sub id of 65 characters', ['REQ', 'x'.repeat(65), {}]],
    ['no filters', ['REQ', 's']],
    ['too many filters', ['REQ', 's', {}, {}, {}]],
    ['a bad filter', ['COUNT', 's', { authors: ['x'] }]],
  ])('refuses a REQ or COUNT with %s', (_, v) => {
    const m = parse(v)
    expect(m.type).toBe('refused')
    expect(m).toMatchObject({ reason: expect.stringMatching(/^(invalid|unsupported): /) })
  })
  it('accepts a sub id of exactly 64 characters', () => expect(parse(['REQ', 'x'.repeat(64), {}]).type).toBe('REQ'))
})

describe('eventIdOf', () => {
  it('echoes a string id and nothing else', () => {
    expect(eventIdOf({ id: 'abc' })).toBe('abc')
    expect(eventIdOf({ id: 1 })).toBeNull()
    expect(eventIdOf(null)).toBeNull()
    expect(eventIdOf({ id: 'x'.repeat(65) })).toBeNull()
  })
})
