import { describe, expect, it } from 'vitest'
import { describeParams, readParams, textParams } from './params'

const table = textParams(['llama3.2', 'qwen2.5'], 1024)

describe('readParams', () => {
  it('reads known params, aliases included', () => {
    expect(readParams({ model: 'qwen2.5', max_tokens: '256', temperature: '0.5', 'top-p': '0.7', 'top-k': '50', frequency_penalty: '1' }, table)).toEqual({
      model: 'qwen2.5', max_tokens: 256, temperature: 0.5, top_p: 0.7, top_k: 50, frequency_penalty: 1,
    })
    expect(readParams({}, table)).toEqual({})
  })

  it('refuses an unsupported param, naming the ones it understands', () => {
    expect(() => readParams({ lora: 'x' }, table)).toThrow('unsupported param "lora"; this DVM understands model, max_tokens, temperature, top_p, top_k, frequency_penalty')
  })

  it('refuses bad values with the rule they break', () => {
    expect(() => readParams({ model: 'gpt-5' }, table)).toThrow('param model: expected one of llama3.2, qwen2.5, got "gpt-5"')
    expect(() => readParams({ max_tokens: '4096' }, table)).toThrow('param max_tokens: expected a whole number from 1 to 1024, got "4096"')
    expect(() => readParams({ max_tokens: '1.5' }, table)).toThrow('whole number')
    expect(() => readParams({ temperature: 'hot' }, table)).toThrow('param temperature: expected a number from 0 to 2')
    expect(() => readParams({ 'top-p': '' }, table)).toThrow('param top-p')
  })
})

describe('describeParams', () => {
  it('describes each param for the announcement, with its values and default', () => {
    const described = describeParams(table)
    expect(Object.keys(described)).toEqual(['model', 'max_tokens', 'temperature', 'top_p', 'top_k', 'frequency_penalty'])
    expect(described.model).toEqual({ description: 'the model to use', values: ['llama3.2', 'qwen2.5'], default: 'llama3.2' })
    expect(described.max_tokens.default).toBe('1024')
  })
})
