import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { closedOrigin, startFakeOpenAi, type FakeOpenAi } from '../testing/fake-openai'
import { OpenAiBackend } from './openai'
import { BackendError, type TextRequest } from './types'

let fake: FakeOpenAi
beforeAll(async () => {
  fake = await startFakeOpenAi()
})
afterAll(() => fake.stop())
beforeEach(() => {
  fake.requests.length = 0
  fake.chat = () => ({ reply: 'Hello there, friend.' })
  fake.image = () => ({ format: 'b64_json' })
})

const backend = (o: Partial<ConstructorParameters<typeof OpenAiBackend>[0]> = {}) => new OpenAiBackend({ baseUrl: fake.url, timeoutMs: 2000, ...o })
const request: TextRequest = { model: 'm1', messages: [{ role: 'user', content: 'hi' }], maxTokens: 64 }
const never = new AbortController().signal

describe('OpenAiBackend.chat', () => {
  it('streams the completion, telling the text so far after each chunk', async () => {
    const seen: string[] = []
    const text = await backend().chat(request, (t) => seen.push(t), never)
    expect(text).toBe('Hello there, friend.')
    expect(seen.length).toBeGreaterThan(2)
    expect(seen.at(-1)).toBe(text)
    for (let i = 1; i < seen.length; i++) expect(seen[i].startsWith(seen[i - 1])).toBe(true)
  })

  it('sends the model, messages and sampling params, with the key as a bearer token, nothing unasked', async () => {
    await backend({ apiKey: 'sk-test' }).chat({ ...request, temperature: 0.2, topP: 0.9 }, () => {}, never)
    const [sent] = fake.requestsTo('/v1/chat/completions')
    expect(sent.body).toEqual({ model: 'm1', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 64, temperature: 0.2, top_p: 0.9 })
    expect(sent.headers.authorization).toBe('Bearer sk-test')
  })

  it('takes a whole completion from a server that does not stream', async () => {
    fake.chat = () => ({ reply: 'all at once', whole: true })
    const seen: string[] = []
    expect(await backend().chat(request, (t) => seen.push(t), never)).toBe('all at once')
    expect(seen).toEqual(['all at once'])
  })

  it('reports an HTTP error with the back-end message', async () => {
    fake.chat = () => ({ status: 503, error: 'model is loading' })
    await expect(backend().chat(request, () => {}, never)).rejects.toThrow(new BackendError('the model back-end answered 503: model is loading'))
  })

  it('gives up when the back-end stays silent', async () => {
    fake.chat = () => ({ hang: true })
    await expect(backend({ timeoutMs: 300 }).chat(request, () => {}, never)).rejects.toThrow('the model back-end sent nothing for 0.3 s')
  })

  it('keeps waiting while a slow stream keeps talking', async () => {
    fake.chat = () => ({ reply: 'slow but steady, on and on', pieceLength: 3, pauseMs: 150 })
    expect(await backend({ timeoutMs: 600 }).chat(request, () => {}, never)).toBe('slow but steady, on and on')
  })

  it('says so when the back-end is unreachable, without its address', async () => {
    const err = await backend({ baseUrl: `${await closedOrigin()}/v1` }).chat(request, () => {}, never).catch((e) => e)
    expect(err).toBeInstanceOf(BackendError)
    expect(err.message).toBe('the model back-end is unreachable')
  })

  it('stops when the job is cancelled, with the job signal reason', async () => {
    fake.chat = () => ({ hang: true })
    const job = new AbortController()
    setTimeout(() => job.abort(new Error('cancelled by the customer')), 100)
    await expect(backend().chat(request, () => {}, job.signal)).rejects.toThrow('cancelled by the customer')
  })
})

describe('OpenAiBackend.image', () => {
  it('decodes b64_json, asking for the size and folding the negative prompt into the prompt', async () => {
    const image = await backend().image({ model: 'img', prompt: 'a red fox', negativePrompt: 'blur', width: 96, height: 64 }, never)
    expect(image.type).toBe('image/png')
    expect(Buffer.from(image.bytes).equals(Buffer.from(fake.images.at(-1)!))).toBe(true)
    expect(fake.requestsTo('/v1/images/generations')[0].body).toEqual({ model: 'img', prompt: 'a red fox\n\nAvoid: blur', n: 1, size: '96x64' })
  })

  it('downloads an image given as a url', async () => {
    fake.image = () => ({ format: 'url' })
    const image = await backend().image({ model: 'img', prompt: 'a fox' }, never)
    expect(Buffer.from(image.bytes).equals(Buffer.from(fake.images.at(-1)!))).toBe(true)
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/images/generations', `/files/generated-${fake.images.length}.png`])
  })

  it('refuses an answer that is not an image', async () => {
    fake.image = () => ({ format: 'b64_json', bytes: new TextEncoder().encode('<html>nope</html>') })
    await expect(backend().image({ model: 'img', prompt: 'x' }, never)).rejects.toThrow('not a PNG, JPEG, GIF or WebP image')
  })

  it('reports an HTTP error with the back-end message', async () => {
    fake.image = () => ({ status: 400, error: 'size 13x13 is not supported' })
    await expect(backend().image({ model: 'img', prompt: 'x' }, never)).rejects.toThrow('the model back-end answered 400: size 13x13 is not supported')
  })
})
