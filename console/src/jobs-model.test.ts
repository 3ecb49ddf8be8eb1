import { describe, expect, it } from 'vitest'
import type { NostrEvent } from '../../relay/protocol/event'
import { JobBook, jobState } from './jobs-model'

let serial = 0
const ev = (kind: number, created_at: number, tags: string[][] = [], content = '', pubkey = 'd'.repeat(64)): NostrEvent => ({
  id: (++serial).toString(16).padStart(64, '0'), pubkey, created_at, kind, tags, content, sig: '',
})
const request = (at = 100) => ev(5050, at, [['i', 'hi', 'text']])
const feedback = (r: NostrEvent, at: number, status: string, note?: string) => ev(7000, at, [['status', status, ...(note ? [note] : [])], ['e', r.id]])
const result = (r: NostrEvent, at: number) => ev(6050, at, [['e', r.id]], 'echo: hi')

describe('jobState', () => {
  it('is pending without answers', () => expect(jobState(request(), []).status).toBe('pending'))

  it('follows feedback, then the result, whatever order they arrive in', () => {
    const r = request()
    const s = jobState(r, [result(r, 102), feedback(r, 101, 'processing', 'warming up')])
    expect(s.status).toBe('success')
    expect(s.feedback.length).toBe(1)
    expect(s.results.length).toBe(1)
  })

  it('puts a result after feedback of the same second', () => {
    const r = request()
    expect(jobState(r, [result(r, 101), feedback(r, 101, 'processing')]).status).toBe('success')
  })

  it('keeps the note of the feedback that set the status', () => {
    const r = request()
    const s = jobState(r, [feedback(r, 101, 'error', 'timed out: no DVM answered within 120 s')])
    expect(s).toMatchObject({ status: 'error', note: 'timed out: no DVM answered within 120 s' })
  })

  it('ignores unknown statuses and feedback after success', () => {
    const r = request()
    expect(jobState(r, [feedback(r, 101, 'queued')]).status).toBe('pending')
    expect(jobState(r, [result(r, 101), feedback(r, 102, 'error')]).status).toBe('success')
  })

  it('does not take a result of another kind for this job', () => {
    const r = request()
    expect(jobState(r, [ev(6100, 101, [['e', r.id]])]).status).toBe('pending')
  })
})

describe('JobBook', () => {
  const isJob = (k: number) => k >= 5000 && k < 6000

  it('lists requests newest first with their status', () => {
    const book = new JobBook(isJob)
    const [a, b] = [request(100), request(200)]
    book.add(a)
    book.add(b)
    expect(book.add(feedback(a, 101, 'processing'))).toBe(true)
    expect(book.jobs().map((j) => [j.request.id, j.status])).toEqual([[b.id, 'pending'], [a.id, 'processing']])
  })

  it('holds answers that come before their request', () => {
    const book = new JobBook(isJob)
    const r = request()
    expect(book.add(result(r, 101))).toBe(false)
    expect(book.add(r)).toBe(true)
    expect(book.get(r.id)?.status).toBe('success')
  })

  it('keeps the latest requests only and ignores repeats and other events', () => {
    const book = new JobBook(isJob, 2)
    const rs = [request(1), request(3), request(2)]
    rs.forEach((r) => book.add(r))
    expect(book.add(rs[1])).toBe(false)
    expect(book.add(ev(1, 5))).toBe(false)
    expect(book.ids().sort()).toEqual([rs[1].id, rs[2].id].sort())
    expect(book.add(request(0))).toBe(false)
  })
})
