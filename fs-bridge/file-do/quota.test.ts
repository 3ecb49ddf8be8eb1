import { describe, expect, it } from 'vitest'
import { entryCost } from './quota'

describe('FileServiceDO quota', () => {
  it('counts entries as the snapshot JSON spends characters', () => {
    const json = (path: string, data: string | null) => JSON.stringify({ [path]: data }).length - 2 + 1
    expect(entryCost(4, 5)).toBe(json('/abc', btoa('hello')))
    expect(entryCost(4, 0)).toBe(json('/abc', ''))
    expect(entryCost(2, null)).toBe(json('/d', null))
  })
})
