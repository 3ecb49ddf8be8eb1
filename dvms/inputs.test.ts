import { describe, expect, it } from 'vitest'
import { checkInputSize, promptOf } from './inputs'

describe('promptOf', () => {
  it('puts text inputs first, then fetched material marked with its source', () => {
    const prompt = promptOf([
      { input: { type: 'url', data: 'https://x/spec.md' }, text: '# Spec\n' },
      { input: { type: 'text', data: 'Implement the spec.' }, text: 'Implement the spec.' },
      { input: { type: 'event', data: 'ab'.repeat(32) }, text: 'a note' },
    ])
    expect(prompt).toBe(`Implement the spec.\n\n--- url https://x/spec.md ---\n# Spec\n\n--- event ${'ab'.repeat(32)} ---\na note`)
  })

  it('refuses a request without any input', () => {
    expect(() => promptOf([])).toThrow('the request has no input')
    expect(() => promptOf([{ input: { type: 'text', data: '  ' }, text: '  ' }])).toThrow('the request has no input')
  })
})

describe('checkInputSize', () => {
  it('counts UTF-8 bytes of all texts together', () => {
    expect(() => checkInputSize(['ab', 'cd'], 4)).not.toThrow()
    expect(() => checkInputSize(['ab', 'ü'], 3)).toThrow('input too large: the inputs together may be at most 3 bytes')
  })
})
