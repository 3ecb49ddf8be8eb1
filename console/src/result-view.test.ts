import { describe, expect, it } from 'vitest'
import { isImageUrl, resultParts } from './result-view'

describe('resultParts', () => {
  it('keeps plain text as text', () => expect(resultParts('echo: hello')).toEqual([{ type: 'text', text: 'echo: hello' }]))

  it('cuts fenced code out of the text around it, with its language', () => {
    expect(resultParts('Here:\n```ts\nconst a = 1\n```\nDone.')).toEqual([
      { type: 'text', text: 'Here:' },
      { type: 'code', lang: 'ts', code: 'const a = 1' },
      { type: 'text', text: 'Done.' },
    ])
  })

  it('takes an unclosed fence to the end', () => {
    expect(resultParts('```\nx')).toEqual([{ type: 'code', lang: '', code: 'x' }])
  })

  it('shows image links and markdown images as images', () => {
    expect(resultParts('look\nhttps://ex.com/cat.png\n![a dog](https://ex.com/d.jpg?s=2)')).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image', url: 'https://ex.com/cat.png', alt: 'image' },
      { type: 'image', url: 'https://ex.com/d.jpg?s=2', alt: 'a dog' },
    ])
  })

  it('shows any link an image generation result gives as the image', () => {
    expect(resultParts('https://ex.com/render/42', 6100)).toEqual([{ type: 'image', url: 'https://ex.com/render/42', alt: 'generated image' }])
    expect(resultParts('https://ex.com/render/42', 6050)).toEqual([{ type: 'text', text: 'https://ex.com/render/42' }])
  })

  it('pretty-prints JSON as code', () => {
    expect(resultParts('{"a":[1,2]}')).toEqual([{ type: 'code', lang: 'json', code: '{\n  "a": [\n    1,\n    2\n  ]\n}' }])
  })

  it('loads only http(s) and inline raster images', () => {
    expect(isImageUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(true)
    expect(isImageUrl('javascript:alert(1)//.png')).toBe(false)
    expect(isImageUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false)
  })
})
