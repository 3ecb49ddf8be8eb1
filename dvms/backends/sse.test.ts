import { describe, expect, it } from 'vitest'
import { chunkText, errorMessage, SseDecoder } from './sse'

describe('SseDecoder', () => {
  const all = (slices: string[]) => {
    const d = new SseDecoder()
    return [...slices.flatMap((s) => d.push(s)), ...d.end()]
  }

  it('yields the data of each event, whatever the slicing', () => {
    const stream = 'data: {"a":1}\n\ndata: {"a":2}\n\ndata: [DONE]\n\n'
    const whole = all([stream])
    expect(whole).toEqual(['{"a":1}', '{"a":2}', '[DONE]'])
    for (const size of [1, 2, 3, 7]) {
      const slices = Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.slice(i * size, (i + 1) * size))
      expect(all(slices)).toEqual(whole)
    }
  })

  it('reads CRLF and CR line ends, a CRLF split between slices included', () => {
    expect(all(['data: x\r', '\n\r\n', 'data: y\r\r'])).toEqual(['x', 'y'])
  })

  it('joins multi-line data, skips comments and other fields, keeps an unterminated last event', () => {
    expect(all([': keep-alive\n', 'event: message\nid: 3\ndata: one\ndata:two\n\n', 'data: last'])).toEqual(['one\ntwo', 'last'])
  })

  it('yields nothing for blank lines alone', () => {
    expect(all(['\n\n\n'])).toEqual([])
  })
})

describe('chunkText', () => {
  it('reads OpenAI deltas and Workers AI responses', () => {
    expect(chunkText({ choices: [{ delta: { content: 'Hel' } }] })).toEqual({ text: 'Hel' })
    expect(chunkText({ choices: [{ delta: { role: 'assistant' } }] })).toEqual({ text: '' })
    expect(chunkText({ response: 'lo' })).toEqual({ text: 'lo' })
    expect(chunkText(null)).toEqual({ text: '' })
  })

  it('reports an error carried in the stream', () => {
    expect(chunkText({ error: { message: 'model overloaded' } })).toEqual({ error: 'model overloaded' })
  })
})

describe('errorMessage', () => {
  it('finds the message in the shapes servers use', () => {
    expect(errorMessage({ error: { message: 'a' } })).toBe('a')
    expect(errorMessage({ error: 'b' })).toBe('b')
    expect(errorMessage({ message: 'c' })).toBe('c')
    expect(errorMessage(42)).toBe('unknown error')
  })
})
