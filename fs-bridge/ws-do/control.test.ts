import { describe, expect, it } from 'vitest'
import { FsError } from '../../sdk/fs/error'
import { parseControl } from './control'

describe('/cap/ws control commands', () => {
  it('accepts both spellings of open and close', () => {
    expect(parseControl('{"url":"wss://a.example"}')).toEqual({ op: 'open', url: 'wss://a.example' })
    expect(parseControl('{"open":"wss://a.example"}')).toEqual({ op: 'open', url: 'wss://a.example' })
    expect(parseControl('{"id":"conn-3"}')).toEqual({ op: 'close', id: 'conn-3' })
    expect(parseControl('{"close":"conn-3"}')).toEqual({ op: 'close', id: 'conn-3' })
  })

  it('refuses what is not one command', () => {
    for (const bad of ['', 'wss://a.example', '[]', 'null', '{}', '{"url":3}', '{"url":"wss://a","id":"conn-1"}']) {
      expect(() => parseControl(bad), bad).toThrow(FsError)
    }
  })
})
