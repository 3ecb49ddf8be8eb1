import { describe, expect, it } from 'vitest'
import { jobInputs, requestTemplate, submitTemplate } from './templates'

const id = 'ab'.repeat(32)
const refuses = (f: () => unknown, message: RegExp) => expect(f).toThrow(message)

describe('submitTemplate', () => {
  it('reads kind and content, with no tags and now by default', () => {
    expect(submitTemplate({ kind: 1, content: 'hi' }, 100)).toEqual({ kind: 1, content: 'hi', tags: [], created_at: 100 })
    expect(submitTemplate({ kind: 30023, content: '', tags: [['d', 'x']], created_at: 5 }, 100)).toEqual({ kind: 30023, content: '', tags: [['d', 'x']], created_at: 5 })
  })

  it('refuses what is not an event template', () => {
    refuses(() => submitTemplate([1], 0), /JSON object/)
    refuses(() => submitTemplate({ kind: 70000, content: '' }, 0), /"kind"/)
    refuses(() => submitTemplate({ kind: 1.5, content: '' }, 0), /"kind"/)
    refuses(() => submitTemplate({ kind: 1, content: 5 }, 0), /"content"/)
    refuses(() => submitTemplate({ kind: 1, content: '', tags: [['p', 1]] }, 0), /"tags"/)
    refuses(() => submitTemplate({ kind: 1, content: '', tags: [[]] }, 0), /"tags"/)
    refuses(() => submitTemplate({ kind: 1, content: '', created_at: -1 }, 0), /"created_at"/)
    refuses(() => submitTemplate({ kind: 1, content: '', tag: [] }, 0), /unknown field "tag"/)
  })
})

describe('requestTemplate', () => {
  it("maps OANIX's request: i, param, bid, one relays tag", () => {
    const t = requestTemplate({ kind: 5050, input: 'hello', params: { max_tokens: 64, model: 'm' }, bid: 1000, relays: ['wss://a', 'wss://b'] }, { now: 7 })
    expect(t).toEqual({
      kind: 5050,
      content: '',
      created_at: 7,
      tags: [['i', 'hello', 'text'], ['param', 'max_tokens', '64'], ['param', 'model', 'm'], ['bid', '1000'], ['relays', 'wss://a', 'wss://b']],
    })
  })

  it('names the default relays when the request names none, and none when there are none', () => {
    expect(requestTemplate({ kind: 5000, input: 'x' }, { now: 0, relays: ['ws://r/'] }).tags).toEqual([['i', 'x', 'text'], ['relays', 'ws://r/']])
    expect(requestTemplate({ kind: 5000 }, { now: 0 }).tags).toEqual([])
  })

  it('takes output, extra tags and content', () => {
    const t = requestTemplate({ kind: 5001, input: 'x', output: 'text/plain', tags: [['p', id]], content: 'c' }, { now: 0 })
    expect(t.tags).toEqual([['i', 'x', 'text'], ['output', 'text/plain'], ['p', id]])
    expect(t.content).toBe('c')
  })

  it('refuses kinds outside 5000-5999 and bad fields', () => {
    refuses(() => requestTemplate({ kind: 4999, input: 'x' }, { now: 0 }), /5000-5999/)
    refuses(() => requestTemplate({ kind: 6050, input: 'x' }, { now: 0 }), /5000-5999/)
    refuses(() => requestTemplate({ input: 'x' }, { now: 0 }), /"kind"/)
    refuses(() => requestTemplate({ kind: 5050, bid: -1 }, { now: 0 }), /"bid"/)
    refuses(() => requestTemplate({ kind: 5050, bid: 1.5 }, { now: 0 }), /"bid"/)
    refuses(() => requestTemplate({ kind: 5050, relays: ['http://a'] }, { now: 0 }), /"relays"/)
    refuses(() => requestTemplate({ kind: 5050, params: { a: { b: 1 } } }, { now: 0 }), /param "a"/)
    refuses(() => requestTemplate({ kind: 5050, params: { a: ['x'] } }, { now: 0 }), /param "a"/)
    refuses(() => requestTemplate({ kind: 5050, params: ['a'] }, { now: 0 }), /"params"/)
    refuses(() => requestTemplate({ kind: 5050, output: 3 }, { now: 0 }), /"output"/)
    refuses(() => requestTemplate({ kind: 5050, inputs: [] }, { now: 0 }), /unknown field "inputs"/)
  })

})

describe('jobInputs', () => {
  it('reads text, a tuple, an object, and lists of tuples and objects', () => {
    expect(jobInputs('t')).toEqual([{ data: 't', type: 'text' }])
    expect(jobInputs(['https://x', 'url'])).toEqual([{ data: 'https://x', type: 'url' }])
    expect(jobInputs([id, 'event', 'wss://r', 'source'])).toEqual([{ data: id, type: 'event', relay: 'wss://r', marker: 'source' }])
    expect(jobInputs({ data: id, type: 'job' })).toEqual([{ data: id, type: 'job' }])
    expect(jobInputs([['a', 'text'], { data: 'b', type: 'text', marker: 'm' }])).toEqual([{ data: 'a', type: 'text' }, { data: 'b', type: 'text', marker: 'm' }])
  })

  it('keeps the relay position (empty) when only a marker is given', () => {
    expect(requestTemplate({ kind: 5000, input: { data: 'a', type: 'text', marker: 'm' } }, { now: 0 }).tags).toEqual([['i', 'a', 'text', '', 'm']])
  })

  it('refuses unknown types, event inputs that are not ids, and other shapes', () => {
    refuses(() => jobInputs(['a', 'b']), /input type/)
    refuses(() => jobInputs(['a']), /tuple/)
    refuses(() => jobInputs(['not-an-id', 'event']), /event input/)
    refuses(() => jobInputs({ data: 'a', type: 'text', extra: 1 }), /unknown field "extra"/)
    refuses(() => jobInputs(5), /"input"/)
    refuses(() => jobInputs([5, 'text']), /tuple|data/)
  })
})
