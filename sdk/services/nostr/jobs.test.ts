import { describe, expect, it } from 'vitest'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import type { NostrEvent } from '../../nostr/signer'
import { FEEDBACK_PER_JOB, JobBook, jobStatus } from './jobs'

const customer = generateSecretKey()
const [dvmA, dvmB] = [generateSecretKey(), generateSecretKey()]
const sign = (key: Uint8Array, kind: number, tags: string[][] = [], created_at = 10, content = ''): NostrEvent =>
  finalizeEvent({ kind, created_at, tags, content }, key)
const feedback = (key: Uint8Array, request: NostrEvent, status: string, at = 10) => sign(key, 7000, [['status', status], ['e', request.id]], at)
const result = (key: Uint8Array, request: NostrEvent, at = 10, content = 'r') => sign(key, request.kind + 1000, [['e', request.id]], at, content)

describe('JobBook', () => {
  it('files feedback and results under the request their e tag names', () => {
    const book = new JobBook(10)
    const request = sign(customer, 5050, [['i', 'x', 'text']])
    book.add(request)
    const job = book.get(request.id)!
    expect(jobStatus(job)).toBe('pending')
    const f = feedback(dvmA, request, 'processing')
    expect(book.answer(f)).toEqual({ job, type: 'feedback', name: f.id })
    expect(jobStatus(job)).toBe('processing')
    const r = result(dvmA, request)
    expect(book.answer(r)).toEqual({ job, type: 'result', name: getPublicKey(dvmA) })
    expect(jobStatus(job)).toBe('success')
    expect(book.resultKinds()).toEqual([6050])
  })

  it('ignores answers to other requests, results of the wrong kind, and repeats', () => {
    const book = new JobBook(10)
    const request = sign(customer, 5050)
    book.add(request)
    const other = sign(customer, 5050, [], 11)
    expect(book.answer(feedback(dvmA, other, 'processing'))).toBeUndefined()
    expect(book.answer(sign(dvmA, 6001, [['e', request.id]]))).toBeUndefined()
    expect(book.answer(sign(dvmA, 1, [['e', request.id]]))).toBeUndefined()
    const f = feedback(dvmA, request, 'processing')
    book.answer(f)
    expect(book.answer(f)).toBeUndefined()
  })

  it('keeps each provider’s newest result', () => {
    const book = new JobBook(10)
    const request = sign(customer, 5100)
    book.add(request)
    const [newer, older, fromB] = [result(dvmA, request, 20, 'new'), result(dvmA, request, 15, 'old'), result(dvmB, request, 1, 'b')]
    book.answer(newer)
    expect(book.answer(older)).toBeUndefined()
    book.answer(fromB)
    const job = book.get(request.id)!
    expect(job.results.get(getPublicKey(dvmA))!.content).toBe('new')
    expect([...job.results.keys()].sort()).toEqual([getPublicKey(dvmA), getPublicKey(dvmB)].sort())
  })

  it('takes the status of the newest feedback, whatever order it arrives in', () => {
    const book = new JobBook(10)
    const request = sign(customer, 5050)
    book.add(request)
    book.answer(feedback(dvmA, request, 'error', 30))
    book.answer(feedback(dvmA, request, 'processing', 20))
    expect(jobStatus(book.get(request.id)!)).toBe('error')
    book.answer(feedback(dvmB, request, 'payment_required', 40))
    expect(jobStatus(book.get(request.id)!)).toBe('payment-required')
  })

  it('bounds jobs and feedback, oldest first', () => {
    const book = new JobBook(2)
    const requests = [1, 2, 3].map((i) => sign(customer, 5050, [], i))
    expect(requests.map((r) => book.add(r))).toEqual([[], [], [requests[0].id]])
    expect(book.ids()).toEqual([requests[1].id, requests[2].id])
    const request = requests[2]
    const first = feedback(dvmA, request, 'partial', 0)
    book.answer(first)
    for (let i = 1; i < FEEDBACK_PER_JOB; i++) book.answer(feedback(dvmA, request, 'partial', i))
    expect(book.answer(feedback(dvmA, request, 'partial', FEEDBACK_PER_JOB))).toMatchObject({ evicted: first.id })
    expect(book.get(request.id)!.feedback.size).toBe(FEEDBACK_PER_JOB)
  })
})
