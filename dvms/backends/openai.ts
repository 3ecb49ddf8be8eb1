/**
 * Any OpenAI-compatible endpoint: OpenAI, Ollama, llama.cpp server, vLLM. Chat completions are
 * streamed (SSE); images come as b64_json or as a url fetched here.
 */
import { base64ToBytes } from '../../sdk/fs/io'
import { Silence } from './silence'
import { errorMessage } from './sse'
import { MAX_IMAGE_BYTES, asImage, readBytes, readCompletion } from './stream'
import { chatBody, openAiImageBody } from './bodies'
import { BackendError, type GeneratedImage, type ImageBackend, type ImageRequest, type TextBackend, type TextRequest } from './types'

export interface OpenAiOptions {
  /** Up to and including the version, e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1. */
  baseUrl: string
  apiKey?: string
  /** How long the back-end may stay silent, ms. */
  timeoutMs: number
}

export class OpenAiBackend implements TextBackend, ImageBackend {
  constructor(private readonly options: OpenAiOptions) {}

  async chat(request: TextRequest, onText: (soFar: string) => void, signal: AbortSignal): Promise<string> {
    const silence = new Silence(this.options.timeoutMs, signal)
    try {
      const res = await this.post('/chat/completions', chatBody(request), silence)
      if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
        // A server that ignores `stream: true` answers with one completion.
        const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> }
        const text = body.choices?.[0]?.message?.content
        if (typeof text !== 'string') throw new BackendError('the model back-end answered without a completion')
        onText(text)
        return text
      }
      return await readCompletion(res.body!, silence, onText, 'the model back-end')
    } catch (err) {
      throw silence.explain(err)
    } finally {
      silence.dispose()
    }
  }

  async image(request: ImageRequest, signal: AbortSignal): Promise<GeneratedImage> {
    const silence = new Silence(this.options.timeoutMs, signal)
    try {
      const res = await this.post('/images/generations', openAiImageBody(request), silence)
      const body = (await res.json()) as { data?: Array<{ b64_json?: unknown; url?: unknown }> }
      const first = body.data?.[0]
      if (typeof first?.b64_json === 'string') return asImage(base64ToBytes(first.b64_json))
      if (typeof first?.url === 'string') return asImage(await this.download(first.url, silence))
      throw new BackendError('the model back-end answered without an image')
    } catch (err) {
      throw silence.explain(err)
    } finally {
      silence.dispose()
    }
  }

  private async post(path: string, body: unknown, silence: Silence): Promise<Response> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`
    const res = await fetch(this.options.baseUrl.replace(/\/+$/, '') + path, { method: 'POST', headers, body: JSON.stringify(body), signal: silence.signal })
    silence.touch()
    if (!res.ok) throw await httpError(res)
    return res
  }

  private async download(url: string, silence: Silence): Promise<Uint8Array> {
    const res = await fetch(url, { signal: silence.signal })
    if (!res.ok || !res.body) throw new BackendError(`the model back-end's image link answered ${res.status}`)
    return readBytes(res.body, MAX_IMAGE_BYTES, silence)
  }
}

/** An HTTP error status as the customer should read it, with the back-end's own message when it has one. */
async function httpError(res: Response): Promise<BackendError> {
  const text = (await res.text().catch(() => '')).slice(0, 2000)
  let message = ''
  try {
    message = errorMessage(JSON.parse(text))
  } catch {
    message = text.trim().slice(0, 200)
  }
  return new BackendError(`the model back-end answered ${res.status}${message && message !== 'unknown error' ? `: ${message}` : ''}`)
}
