/** Calls to a model on a job's behalf: streamed text with partial feedback, images; back-end failures end the job with their message. */
import { BackendError, type ChatMessage, type GeneratedImage, type ImageBackend, type ImageRequest, type TextBackend, type TextRequest } from './backends/types'
import type { InputLimits } from './config'
import type { ParamValues, textParams } from './params'
import type { Signer } from '../sdk/nostr/signer'
import { JobError, type JobContext } from '../sdk/dvm/types'

/** What a text DVM (chat, code) is built from. */
export interface TextDvmDeps {
  backend: TextBackend
  /** The models a request may name; the first is the default. */
  models: string[]
  maxTokens: number
  price: number
  limits: InputLimits
  signer: Signer
}

/** The back-end request from the customer's params; what they did not give is left to the back-end, but max_tokens. */
export function textRequest(p: ParamValues<ReturnType<typeof textParams>>, deps: TextDvmDeps, messages: ChatMessage[]): TextRequest {
  return {
    model: p.model ?? deps.models[0],
    messages,
    maxTokens: p.max_tokens ?? deps.maxTokens,
    temperature: p.temperature,
    topP: p.top_p,
    topK: p.top_k,
    frequencyPenalty: p.frequency_penalty,
  }
}

/** The model's whole answer; every piece of the stream goes out as `partial` feedback (the runtime throttles). */
export async function generateText(backend: TextBackend, request: TextRequest, ctx: JobContext): Promise<string> {
  const text = await asJobError(backend.chat(request, (soFar) => void ctx.partial(soFar), ctx.signal))
  if (text.trim() === '') throw new JobError('the model answered with nothing')
  return text
}

export function generateImage(backend: ImageBackend, request: ImageRequest, ctx: JobContext): Promise<GeneratedImage> {
  return asJobError(backend.image(request, ctx.signal))
}

async function asJobError<T>(call: Promise<T>): Promise<T> {
  try {
    return await call
  } catch (err) {
    throw err instanceof BackendError ? new JobError(err.message) : err
  }
}

/** The text DVMs' check of the output type: text, plain or markdown. */
export function checkTextOutput(output: string | undefined) {
  if (output !== undefined && output !== 'text/plain' && output !== 'text/markdown') {
    throw new JobError(`output ${output} is not offered: answers come as text/plain or text/markdown`)
  }
}
