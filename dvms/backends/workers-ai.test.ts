import { describe, expect, it } from 'vitest'
import { png } from '../testing/png'
import { BackendError } from './types'
import { WorkersAiBackend, type AiBinding } from './workers-ai'

/** Stands in for the Workers AI binding (a service outside the system): records calls, answers as told. */
function fakeAi(answer: (model: string, inputs: Record<string, unknown>) => unknown) {
  const calls: Array<{ model: string; inputs: Record<string, unknown> }> = []
  const ai: AiBinding = {
    run: async (model, inputs) => {
      calls.push({ model, inputs })
      return answer(model, inputs)
    },
  }
  return { ai, calls }
}

const sse = (...events: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const e of events) c.enqueue(new TextEncoder().encode(`data: ${e}\n\n`))
      c.close()
    },
  })

const never = new AbortController().signal

describe('WorkersAiBackend', () => {
  it('streams text from { response } chunks, passing the params the model understands', async () => {
    const { ai, calls } = fakeAi(() => sse('{"response":"Hel"}', '{"response":"lo"}', '{"response":"","usage":{}}', '[DONE]'))
    const seen: string[] = []
    const text = await new WorkersAiBackend(ai, 1000).chat(
      { model: '@cf/x', messages: [{ role: 'user', content: 'hi' }], maxTokens: 32, topK: 40 },
      (t) => seen.push(t),
      never,
    )
    expect(text).toBe('Hello')
    expect(seen).toEqual(['Hel', 'Hello'])
    expect(calls).toEqual([{ model: '@cf/x', inputs: { messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 32, top_k: 40 } }])
  })

  it('takes images as a byte stream or as base64', async () => {
    const bytes = png(8, 8, 3)
    const streamed = fakeAi(() => new Response(bytes).body)
    const image = await new WorkersAiBackend(streamed.ai, 1000).image({ model: '@cf/sd', prompt: 'p', negativePrompt: 'n', width: 512, height: 512 }, never)
    expect(image).toEqual({ bytes, type: 'image/png' })
    expect(streamed.calls[0].inputs).toEqual({ prompt: 'p', negative_prompt: 'n', width: 512, height: 512 })
    const b64 = fakeAi(() => ({ image: Buffer.from(bytes).toString('base64') }))
    expect((await new WorkersAiBackend(b64.ai, 1000).image({ model: '@cf/flux', prompt: 'p' }, never)).bytes).toEqual(bytes)
  })

  it("reports the binding's error and a silent model", async () => {
    const failing = fakeAi(() => Promise.reject(new Error('5007: No such model @cf/nope')))
    await expect(new WorkersAiBackend(failing.ai, 1000).image({ model: '@cf/nope', prompt: 'p' }, never)).rejects.toThrow(
      new BackendError('Workers AI failed: 5007: No such model @cf/nope'),
    )
    const silent = fakeAi(() => new Promise(() => {}))
    await expect(new WorkersAiBackend(silent.ai, 200).chat({ model: 'm', messages: [], maxTokens: 1 }, () => {}, never)).rejects.toThrow(
      'the model back-end sent nothing for 0.2 s',
    )
  })
})
