import { describe, expect, it } from 'vitest'
import { jobRequestTags, readFeedback } from './request'

const hex = (c: string) => c.repeat(64)

describe('jobRequestTags', () => {
  it('writes inputs, params, output, bid, relays and targets in the clear', () => {
    expect(jobRequestTags({
      kind: 5050, inputs: ['hi', { data: hex('e'), type: 'event', relay: 'wss://r' }], params: { model: 'm' }, output: 'text/plain', bid: 10, relays: ['wss://a'], targets: [hex('d')],
    })).toEqual({
      visible: [['i', 'hi', 'text'], ['i', hex('e'), 'event', 'wss://r'], ['param', 'model', 'm'], ['output', 'text/plain'], ['bid', '10'], ['relays', 'wss://a'], ['p', hex('d')]],
      hidden: [],
    })
  })
  it('hides inputs and params of an encrypted job, NIP-04 unless told', () => {
    const spec = { kind: 5050, inputs: ['secret'], params: { model: 'm' }, targets: [hex('d')] }
    expect(jobRequestTags({ ...spec, encrypted: true })).toEqual({
      visible: [['p', hex('d')], ['encrypted']], hidden: [['i', 'secret', 'text'], ['param', 'model', 'm']], encryption: 'nip04',
    })
    expect(jobRequestTags({ ...spec, encrypted: 'nip44' }).encryption).toBe('nip44')
  })
  it.each([
    ['a kind outside 5000-5999', { kind: 1 }, /not a job request kind/],
    ['a fractional bid', { kind: 5050, bid: 0.5 }, /bid must be/],
    ['a target that is no key', { kind: 5050, targets: ['bob'] }, /not a hex public key/],
    ['encryption without one target', { kind: 5050, encrypted: true }, /exactly one DVM/],
  ])('refuses %s', (_, spec, problem) => {
    expect(() => jobRequestTags(spec)).toThrow(problem)
  })
})

describe('readFeedback', () => {
  it('reads status, message and amount', () => {
    const event = { id: hex('1'), pubkey: hex('2'), sig: '', created_at: 1, kind: 7000, content: '', tags: [['status', 'payment_required', 'pay'], ['amount', '7', 'lnbc']] }
    expect(readFeedback(event, '')).toEqual({ status: 'payment-required', message: 'pay', amount: { msats: 7, bolt11: 'lnbc' }, content: '', event })
  })
})
