import { describe, expect, it } from 'vitest'
import { readParams } from '../params'
import { checkImageOutput, imageParams, sizeOf } from './params'

const table = imageParams(['sdxl'])

describe('image params', () => {
  it('size takes precedence over ratio', () => {
    expect(sizeOf(readParams({ size: '512x768', ratio: '16:9' }, table))).toEqual({ width: 512, height: 768 })
    expect(sizeOf(readParams({ ratio: '16:9' }, table))).toEqual({ width: 1024, height: 576 })
    expect(sizeOf(readParams({ ratio: '9:16' }, table))).toEqual({ width: 576, height: 1024 })
    expect(sizeOf(readParams({ negative_prompt: 'blur' }, table))).toBeUndefined()
  })

  it('refuses sizes and ratios outside the rules, and params it does not have', () => {
    expect(() => readParams({ size: '10x10' }, table)).toThrow('param size: expected WIDTHxHEIGHT, each side from 64 to 2048, got "10x10"')
    expect(() => readParams({ size: 'big' }, table)).toThrow('param size')
    expect(() => readParams({ ratio: '2:1' }, table)).toThrow('param ratio: expected one of 1:1, 4:3, 16:9, 16:10, 3:4, 9:16, 10:16')
    expect(() => readParams({ lora: 'pixel-art' }, table)).toThrow('unsupported param "lora"')
  })
})

describe('checkImageOutput', () => {
  it('accepts a link type or image types, and checks an exact image type once the image exists', () => {
    for (const ok of [undefined, 'text/plain', 'text/uri-list', 'image/*', 'image/png']) expect(() => checkImageOutput(ok)).not.toThrow()
    expect(() => checkImageOutput('image/png', 'image/png')).not.toThrow()
    expect(() => checkImageOutput('image/jpeg', 'image/png')).toThrow('the model made image/png, not the image/jpeg asked for')
    expect(() => checkImageOutput('application/pdf')).toThrow('output application/pdf is not offered')
  })
})
