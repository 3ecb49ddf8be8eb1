import { describe, expect, it } from 'vitest'
import { generateSecretKey } from 'nostr-tools/pure'
import { conversationMessages, earlierTurns } from './conversation'
import { answerOf, requestOf } from '../earlier-job'
import { readJob } from '../../sdk/dvm/request'
import type { JobContext } from '../../sdk/dvm/types'
import { SecretKeySigner, type NostrEvent } from '../../sdk/nostr/signer'

const dvm = new SecretKeySigner(generateSecretKey())
const other = new SecretKeySigner(generateSecretKey())
const alice = new SecretKeySigner(generateSecretKey())
const bob = new SecretKeySigner(generateSecretKey())
let clock = 1_700_000_000

async function request(customer: SecretKeySigner, tags: string[][], encryptTo?: { to: SecretKeySigner; scheme: 'nip04' | 'nip44' }, at = clock++): Promise<NostrEvent> {
  if (!encryptTo) return customer.signEvent({ kind: 5050, created_at: at, tags, content: '' })
  const content = await customer[encryptTo.scheme].encrypt(encryptTo.to.pubkey, JSON.stringify(tags))
  return customer.signEvent({ kind: 5050, created_at: at, tags: [['p', encryptTo.to.pubkey], ['encrypted']], content })
}

async function result(by: SecretKeySigner, req: NostrEvent, answer: string, scheme?: 'nip04' | 'nip44'): Promise<NostrEvent> {
  const tags = [['request', JSON.stringify(req)], ['e', req.id], ['p', req.pubkey], ...(scheme ? [['encrypted']] : [])]
  const content = scheme ? await by[scheme].encrypt(req.pubkey, answer) : answer
  return by.signEvent({ kind: 6050, created_at: clock++, tags, content })
}

function context(results: NostrEvent[]): JobContext {
  const byRequest = new Map(results.map((r) => [r.tags.find((t) => t[0] === 'e')![1], r]))
  return {
    signal: new AbortController().signal,
    processing: async () => {},
    partial: async () => {},
    paymentRequired: async () => {},
    resolveEvent: async () => undefined,
    resolveJobResult: async (id) => byRequest.get(id),
  }
}

describe('earlier jobs', () => {
  it('open plain and encrypted requests and results of this DVM', async () => {
    for (const scheme of ['nip04', 'nip44'] as const) {
      const req = await request(alice, [['i', 'hello', 'text']], { to: dvm, scheme })
      const res = await result(dvm, req, 'hi Alice', scheme)
      expect((await requestOf(req.id, res, dvm)).inputs).toEqual([{ type: 'text', data: 'hello' }])
      expect(await answerOf(req.id, res, dvm)).toBe('hi Alice')
    }
  })

  it("stay closed when encrypted for someone else, or when the request was forged", async () => {
    const req = await request(alice, [['i', 'secret', 'text']], { to: other, scheme: 'nip44' })
    const res = await result(other, req, 'psst', 'nip44')
    await expect(answerOf(req.id, res, dvm)).rejects.toThrow(`the result of job ${req.id} is encrypted for someone else`)
    await expect(requestOf(req.id, res, dvm)).rejects.toThrow(`job ${req.id} is encrypted for someone else`)
    const plain = await request(alice, [['i', 'hi', 'text']])
    const forged = await result(dvm, { ...plain, pubkey: bob.pubkey }, 'x')
    await expect(requestOf(plain.id, forged, dvm)).rejects.toThrow('does not carry its signed request')
  })
})

describe('earlierTurns', () => {
  it('follows the chain of earlier jobs, oldest first, encrypted turns included', async () => {
    const first = await request(alice, [['i', 'My name is Alice.', 'text']])
    const firstResult = await result(dvm, first, 'Nice to meet you, Alice.')
    const second = await request(alice, [['i', 'What is 2+2?', 'text'], ['i', first.id, 'job']], { to: dvm, scheme: 'nip44' })
    const secondResult = await result(dvm, second, '4', 'nip44')
    const third = readJob(await request(alice, [['i', 'What is my name?', 'text'], ['i', second.id, 'job']])).job
    const turns = await earlierTurns(third, context([firstResult, secondResult]), dvm)
    expect(turns.map((t) => [t.prompt, t.answer])).toEqual([
      ['My name is Alice.', 'Nice to meet you, Alice.'],
      ['What is 2+2?', '4'],
    ])
    expect(conversationMessages(turns, 'What is my name?')).toEqual([
      { role: 'user', content: 'My name is Alice.' },
      { role: 'assistant', content: 'Nice to meet you, Alice.' },
      { role: 'user', content: 'What is 2+2?' },
      { role: 'assistant', content: '4' },
      { role: 'user', content: 'What is my name?' },
    ])
  })

  it("refuses another customer's job, and a job without a result", async () => {
    const bobs = await request(bob, [['i', 'private', 'text']])
    const bobsResult = await result(dvm, bobs, 'answer for Bob')
    const stealing = readJob(await request(alice, [['i', 'continue', 'text'], ['i', bobs.id, 'job']])).job
    await expect(earlierTurns(stealing, context([bobsResult]), dvm)).rejects.toThrow(`job input ${bobs.id} is another customer's`)
    const waiting = readJob(await request(alice, [['i', 'continue', 'text'], ['i', 'cd'.repeat(32), 'job']])).job
    await expect(earlierTurns(waiting, context([]), dvm)).rejects.toThrow('has no result yet')
  })

  it('orders turns by the chain, not by their timestamps, which tie for quick turns', async () => {
    const at = clock++
    const first = await request(alice, [['i', 'one', 'text']], undefined, at)
    // The second turn signed in the same second, with the smaller id: ties broken by id would put it first.
    let second: NostrEvent
    let n = 0
    do second = await request(alice, [['i', 'two', 'text'], ['i', first.id, 'job'], ['nonce', String(n++)]], undefined, at)
    while (second.id > first.id)
    const results = [await result(dvm, first, 'a1'), await result(dvm, second, 'a2')]
    const job = readJob(await request(alice, [['i', 'three', 'text'], ['i', second.id, 'job']], undefined, at)).job
    expect((await earlierTurns(job, context(results), dvm)).map((t) => t.prompt)).toEqual(['one', 'two'])
  })

  it('stops after the most turns it keeps', async () => {
    let previous: NostrEvent | undefined
    const results: NostrEvent[] = []
    for (let i = 0; i < 5; i++) {
      const req = await request(alice, [['i', `turn ${i}`, 'text'], ...(previous ? [['i', previous.id, 'job']] : [])])
      results.push(await result(dvm, req, `answer ${i}`))
      previous = req
    }
    const job = readJob(await request(alice, [['i', 'next', 'text'], ['i', previous!.id, 'job']])).job
    expect((await earlierTurns(job, context(results), dvm, 3)).map((t) => t.prompt)).toEqual(['turn 2', 'turn 3', 'turn 4'])
  })
})

