import { describe, expect, it } from 'vitest'
import type { NostrEvent } from '../protocol/event'
import { JobKinds } from './job-kinds'
import { readJobRequest } from './nip90'

const hex = (c: string) => c.repeat(64)
const kinds = new JobKinds([5123])
const req = (kind: number, tags: string[][]): NostrEvent => ({ id: hex('1'), pubkey: hex('2'), sig: hex('3') + hex('3'), created_at: 1, content: '', kind, tags })
const read = (kind: number, tags: string[][]) => readJobRequest(req(kind, tags), kinds.get(kind)!)

describe('readJobRequest', () => {
  it('reads inputs, params, output, bid, targets and relays', () => {
    const { request, problems } = read(5050, [
      ['i', 'what is nostr?', 'text'], ['i', hex('4'), 'job', 'wss://r', 'context'], ['param', 'max_tokens', '512'],
      ['output', 'text/plain'], ['bid', '1000'], ['p', hex('5')], ['relays', 'wss://a', 'wss://b'],
    ])
    expect(problems).toEqual([])
    expect(request).toMatchObject({
      kind: 5050, customer: hex('2'), output: 'text/plain', bid: 1000, targets: [hex('5')], relays: ['wss://a', 'wss://b'], params: { max_tokens: '512' },
      inputs: [{ data: 'what is nostr?', type: 'text' }, { data: hex('4'), type: 'job', relay: 'wss://r', marker: 'context' }],
    })
  })
  it.each([
    ['an unknown input type', 5050, [['i', 'x', 'telepathy']], /unknown input type/],
    ['an input without a type', 5050, [['i', 'x']], /needs data and an input type/],
    ['a job input that is no id', 5050, [['i', 'abc', 'job']], /must be an event id/],
    ['a param without a value', 5050, [['param', 'model']], /param tag needs/],
    ['a bid that is no number', 5050, [['bid', '10 sats']], /bid must be/],
    ['no input where the kind needs one', 5100, [['param', 'size', '512x512']], /needs at least one i input/],
    ['an encrypted request naming no DVM', 5050, [['encrypted']], /must name its DVM/],
  ])('finds %s', (_, kind, tags, problem) => {
    expect(read(kind as number, tags as string[][]).problems.join('; ')).toMatch(problem)
  })
  it('accepts an encrypted request without visible inputs', () => {
    expect(read(5100, [['p', hex('5')], ['encrypted']]).problems).toEqual([])
  })
})

describe('JobKinds', () => {
  it('routes the registry kinds and configured ones, not the whole range', () => {
    expect(kinds.isRequest(5050)).toBe(true)
    expect(kinds.isRequest(5123)).toBe(true)
    expect(kinds.isRequest(5128)).toBe(false)
    expect(kinds.isResult(6050)).toBe(true)
    expect(kinds.isResult(6128)).toBe(false)
  })
})
