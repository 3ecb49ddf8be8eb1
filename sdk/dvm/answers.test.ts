import { describe, expect, it } from 'vitest'
import type { NostrEvent } from '../nostr/signer'
import { amountOf, feedbackStatus, feedbackTemplate, requestIdOf, resultTemplate } from './answers'
import type { Job } from './types'

const hex = (c: string) => c.repeat(64)
const request: NostrEvent = { id: hex('1'), pubkey: hex('2'), sig: hex('3') + hex('3'), created_at: 1, kind: 5050, tags: [['i', 'hi', 'text']], content: '' }
const job: Job = { id: request.id, kind: 5050, customer: request.pubkey, request, inputs: [{ data: 'hi', type: 'text' }], params: {}, relays: [], chained: {} }

describe('feedbackTemplate', () => {
  it('writes status, amount, e and p, with the message as the status extra', () => {
    const t = feedbackTemplate(job, 'payment-required', { message: 'pay first', amount: { msats: 2000, bolt11: 'lnbc1' }, createdAt: 9 })
    expect(t).toEqual({
      kind: 7000, created_at: 9, content: '',
      tags: [['status', 'payment-required', 'pay first'], ['amount', '2000', 'lnbc1'], ['e', job.id], ['p', job.customer]],
    })
  })
  it('marks encrypted content, and only when there is content', () => {
    expect(feedbackTemplate(job, 'partial', { content: 'ciphertext', encrypted: true }).tags).toContainEqual(['encrypted'])
    expect(feedbackTemplate(job, 'processing', { encrypted: true }).tags).not.toContainEqual(['encrypted'])
  })
})

describe('resultTemplate', () => {
  it('carries the request, e, i, p and amount, plus the handler tags', () => {
    const t = resultTemplate(job, 'hello', { tags: [['x', 'abc']], amount: { msats: 5 }, relayHint: 'wss://r' })
    expect(t.kind).toBe(6050)
    expect(t.content).toBe('hello')
    expect(t.tags).toEqual([['request', JSON.stringify(request)], ['e', job.id, 'wss://r'], ['p', job.customer], ['i', 'hi', 'text'], ['amount', '5'], ['x', 'abc']])
  })
  it('keeps the inputs out of an encrypted result and marks it', () => {
    const t = resultTemplate(job, 'ciphertext', { encrypted: true })
    expect(t.tags.filter((x) => x[0] === 'i')).toEqual([])
    expect(t.tags).toContainEqual(['encrypted'])
  })
})

describe('reading answers', () => {
  it('reads payment_required as payment-required and keeps unknown statuses', () => {
    expect(feedbackStatus({ tags: [['status', 'payment_required']] })).toBe('payment-required')
    expect(feedbackStatus({ tags: [['status', 'queued']] })).toBe('queued')
  })
  it('finds the request an answer refers to', () => {
    expect(requestIdOf({ tags: [['e', hex('a')]] })).toBe(hex('a'))
    expect(requestIdOf({ tags: [['e', 'short']] })).toBeUndefined()
  })
  it('reads amounts with and without an invoice', () => {
    expect(amountOf({ tags: [['amount', '10']] })).toEqual({ msats: 10 })
    expect(amountOf({ tags: [['amount', '10', 'lnbc']] })).toEqual({ msats: 10, bolt11: 'lnbc' })
    expect(amountOf({ tags: [['amount', 'ten']] })).toBeUndefined()
  })
})
