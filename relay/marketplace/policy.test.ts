import { describe, expect, it } from 'vitest'
import { chooseDvms } from './policy'
import { nextStatus } from './lifecycle'

const c = (pubkey: string, live = true, openJobs = 0) => ({ pubkey, live, openJobs })

describe('chooseDvms', () => {
  const dvms = [c('b', true, 3), c('a', true, 1), c('c', false, 0)]
  it('sends to the DVMs a request names, live or not', () => expect(chooseDvms(dvms, ['c'], 'all', 0)).toEqual(['c']))
  it('sends to all live DVMs', () => expect(chooseDvms(dvms, [], 'all', 0)).toEqual(['a', 'b']))
  it('takes turns', () => {
    expect([0, 1, 2].map((t) => chooseDvms(dvms, [], 'round-robin', t))).toEqual([['a'], ['b'], ['a']])
  })
  it('picks the live DVM with the fewest open jobs', () => expect(chooseDvms(dvms, [], 'least-loaded', 0)).toEqual(['a']))
  it('skips DVMs already offered the job', () => {
    expect(chooseDvms(dvms, [], 'least-loaded', 0, new Set(['a']))).toEqual(['b'])
    expect(chooseDvms(dvms, [], 'round-robin', 0, new Set(['a', 'b']))).toEqual([])
  })
})

describe('nextStatus', () => {
  it.each([
    ['pending', 'processing', 'processing'],
    ['processing', 'partial', 'partial'],
    ['partial', 'success', 'success'],
    ['success', 'error', 'success'],
    ['cancelled', 'success', 'cancelled'],
    ['error', 'processing', 'processing'],
    ['timed-out', 'success', 'success'],
    ['processing', 'queued', 'processing'],
  ] as const)('%s then %s is %s', (from, incoming, to) => expect(nextStatus(from, incoming)).toBe(to))
})
