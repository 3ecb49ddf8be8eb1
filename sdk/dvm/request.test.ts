import { nip04, nip44 } from 'nostr-tools'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { encryptionOf, inputTag, isForDvm, readHiddenTags, readJob, readJobTags } from './request'

const hex = (c: string) => c.repeat(64)

describe('readJobTags', () => {
  it('reads inputs, params, output, bid, targets and relays', () => {
    const { fields, problems } = readJobTags([
      ['i', 'what is nostr?', 'text'], ['i', hex('4'), 'job', 'wss://r', 'context'], ['param', 'max_tokens', '512'], ['param', 'max_tokens', '64'],
      ['output', 'text/plain'], ['bid', '1000'], ['p', hex('5')], ['p', hex('5')], ['relays', 'wss://a', 'wss://b'], ['relays', 'wss://a'],
    ])
    expect(problems).toEqual([])
    expect(fields).toEqual({
      inputs: [{ data: 'what is nostr?', type: 'text' }, { data: hex('4'), type: 'job', relay: 'wss://r', marker: 'context' }],
      params: { max_tokens: '64' }, output: 'text/plain', bid: 1000, targets: [hex('5')], relays: ['wss://a', 'wss://b'], encrypted: false,
    })
  })
  it.each([
    ['an unknown input type', [['i', 'x', 'telepathy']], /unknown input type/],
    ['an input without a type', [['i', 'x']], /needs data and an input type/],
    ['an event input that is no id', [['i', 'abc', 'event']], /must be an event id/],
    ['a param without a value', [['param', 'model']], /param tag needs/],
    ['a bid that is no number', [['bid', '10 sats']], /bid must be/],
    ['an encrypted request naming no DVM', [['encrypted']], /must name its DVM/],
  ])('finds %s', (_, tags, problem) => {
    expect(readJobTags(tags).problems.join('; ')).toMatch(problem)
  })
})

describe('readJob', () => {
  const sk = generateSecretKey()
  const request = finalizeEvent({ kind: 5050, created_at: 1, content: 'x?iv=y', tags: [['p', hex('5')], ['encrypted'], ['relays', 'wss://r']] }, sk)

  it('adds the decrypted tags to the visible ones and notes the scheme', () => {
    const { job, problems } = readJob(request, { tags: [['i', 'secret', 'text'], ['param', 'model', 'm'], ['bid', '7']], encryption: 'nip04' })
    expect(problems).toEqual([])
    expect(job).toMatchObject({
      id: request.id, kind: 5050, customer: getPublicKey(sk), request, inputs: [{ data: 'secret', type: 'text' }],
      params: { model: 'm' }, bid: 7, relays: ['wss://r'], encryption: 'nip04', chained: {},
    })
  })
  it('reads a plain request as it is', () => {
    const plain = finalizeEvent({ kind: 5050, created_at: 1, content: '', tags: [['i', 'hi', 'text']] }, sk)
    const { job } = readJob(plain)
    expect(job.inputs).toEqual([{ data: 'hi', type: 'text' }])
    expect(job).not.toHaveProperty('encryption')
    expect(job).not.toHaveProperty('bid')
  })
})

describe('encryption schemes and targets', () => {
  const a = generateSecretKey()
  const b = getPublicKey(generateSecretKey())
  it('tells NIP-04 payloads from NIP-44 ones', () => {
    expect(encryptionOf(nip04.encrypt(a, b, '[]'))).toBe('nip04')
    expect(encryptionOf(nip44.encrypt('[]', nip44.getConversationKey(a, b)))).toBe('nip44')
  })
  it('takes a request naming nobody or naming the DVM, not one naming others', () => {
    expect(isForDvm({ targets: [] }, hex('a'))).toBe(true)
    expect(isForDvm({ targets: [hex('b'), hex('a')] }, hex('a'))).toBe(true)
    expect(isForDvm({ targets: [hex('b')] }, hex('a'))).toBe(false)
  })
  it('reads hidden tags only as a JSON list of string lists', () => {
    expect(readHiddenTags('[["i","x","text"]]')).toEqual([['i', 'x', 'text']])
    expect(readHiddenTags('not json')).toEqual({ error: expect.stringMatching(/not JSON/) })
    expect(readHiddenTags('{"i":1}')).toEqual({ error: expect.stringMatching(/list of tags/) })
    expect(readHiddenTags('[["i",1]]')).toEqual({ error: expect.stringMatching(/list of tags/) })
  })
  it('writes input tags without trailing empty values', () => {
    expect(inputTag({ data: 'x', type: 'text' })).toEqual(['i', 'x', 'text'])
    expect(inputTag({ data: 'x', type: 'url', marker: 'm' })).toEqual(['i', 'x', 'url', '', 'm'])
  })
})
