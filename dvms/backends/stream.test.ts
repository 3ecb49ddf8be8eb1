import { describe, expect, it } from 'vitest'
import { imageType } from './stream'

describe('imageType', () => {
  it('tells PNG, JPEG, GIF and WebP by their first bytes, and nothing else', () => {
    const bytes = (...b: number[]) => new Uint8Array(b)
    expect(imageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png')
    expect(imageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
    expect(imageType(new TextEncoder().encode('GIF89a'))).toBe('image/gif')
    expect(imageType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp')
    expect(imageType(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeNull()
    expect(imageType(new TextEncoder().encode('<svg'))).toBeNull()
    expect(imageType(bytes())).toBeNull()
  })
})
