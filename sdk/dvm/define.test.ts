import { describe, expect, it } from 'vitest'
import { defineDvm, dvmId } from './define'
import type { DvmDefinition } from './types'

const ok: DvmDefinition = { kinds: [5050], info: { name: 'n', about: 'a' }, handle: async () => 'x' }

describe('defineDvm', () => {
  it('returns a sound definition as it is', () => {
    expect(defineDvm(ok)).toBe(ok)
  })
  it.each([
    ['no kinds', { kinds: [] }, /kinds must list/],
    ['a kind outside 5000-5999', { kinds: [1] }, /kind 1 is not a job request kind/],
    ['a nameless info', { info: { name: ' ', about: '' } }, /info.name/],
    ['a negative price', { price: -1 }, /price/],
    ['a fractional price', { price: 1.5 }, /price/],
    ['a negative partial interval', { partialInterval: -5 }, /partialInterval/],
    ['no handler', { handle: undefined }, /handle must be a function/],
  ])('refuses %s', (_, change, problem) => {
    expect(() => defineDvm({ ...ok, ...change } as DvmDefinition)).toThrow(problem)
  })
  it('lists every problem at once', () => {
    expect(() => defineDvm({ kinds: [], info: { name: '' }, price: -1 } as unknown as DvmDefinition)).toThrow(/kinds.*name.*about.*price.*handle/)
  })
})

describe('dvmId', () => {
  it('is the id when given, else a slug of the name', () => {
    expect(dvmId({ id: 'mine', info: { name: 'x', about: '' } })).toBe('mine')
    expect(dvmId({ info: { name: ' Café  Translator 2 ', about: '' } })).toBe('cafe-translator-2')
    expect(dvmId({ info: { name: '!!!', about: '' } })).toBe('dvm')
  })
})
