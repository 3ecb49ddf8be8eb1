/**
 * The Workers AI binding (`AI`). Text models stream SSE chunks of `{ response }`; image models
 * answer with the image's bytes as a stream (Stable Diffusion) or as `{ image: base64 }` (FLUX).
 */
import { base64ToBytes } from '../../sdk/fs/io'
import { chatBody, workersAiImageInputs } from './bodies'
import { Silence } from './silence'
import { MAX_IMAGE_BYTES, asImage, readBytes, readCompletion } from './stream'
import { BackendError, type GeneratedImage, type ImageBackend, type ImageRequest, type TextBackend, type TextRequest } from './types'

/** The part of the `Ai` binding used here. */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>
}

export class WorkersAiBackend implements TextBackend, ImageBackend {
  constructor(
    private readonly ai: AiBinding,
    private readonly timeoutMs: number,
  ) {}

  async chat(r: TextRequest, onText: (soFar: string) => void, signal: AbortSignal): Promise<string> {
    const { model: _, ...inputs } = chatBody(r)
    return this.call(signal, async (silence) => {
      const out = await silence.race(this.ai.run(r.model, inputs))
      silence.touch()
      if (!(out instanceof ReadableStream)) {
        const text = (out as { response?: unknown } | null)?.response
        if (typeof text !== 'string') throw new BackendError('Workers AI answered without text')
        onText(text)
        return text
      }
      return readCompletion(out, silence, onText, 'Workers AI')
    })
  }

  async image(r: ImageRequest, signal: AbortSignal): Promise<GeneratedImage> {
    const inputs = workersAiImageInputs(r)
    return this.call(signal, async (silence) => {
      const out = await silence.race(this.ai.run(r.model, inputs))
      silence.touch()
      if (out instanceof ReadableStream) return asImage(await readBytes(out, MAX_IMAGE_BYTES, silence))
      if (out instanceof Uint8Array) return asImage(out)
      const image = (out as { image?: unknown } | null)?.image
      if (typeof image === 'string') return asImage(base64ToBytes(image))
      throw new BackendError('Workers AI answered without an image')
    })
  }

  /** Runs a call under the silence limit; the binding's own errors are safe to show (model, input). */
  private async call<T>(signal: AbortSignal, run: (silence: Silence) => Promise<T>): Promise<T> {
    const silence = new Silence(this.timeoutMs, signal)
    try {
      return await run(silence)
    } catch (err) {
      if (!(err instanceof BackendError) && !silence.signal.aborted && err instanceof Error) {
        console.error('dvm back-end: Workers AI failed', err)
        throw new BackendError(`Workers AI failed: ${err.message}`)
      }
      throw silence.explain(err)
    } finally {
      silence.dispose()
    }
  }
}
