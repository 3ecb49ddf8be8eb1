/**
 * What a DVM asks of a model back-end. Two implementations: any OpenAI-compatible HTTP endpoint
 * (OpenAI, Ollama, llama.cpp server, vLLM) and the Workers AI binding.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface TextRequest {
  model: string
  messages: ChatMessage[]
  maxTokens: number
  temperature?: number
  topP?: number
  topK?: number
  frequencyPenalty?: number
}

export interface ImageRequest {
  model: string
  prompt: string
  negativePrompt?: string
  width?: number
  height?: number
}

export interface GeneratedImage {
  bytes: Uint8Array
  /** Mime type, e.g. image/png. */
  type: string
}

export interface TextBackend {
  /** Streams the answer: `onText` gets the text so far after each piece; resolves to the whole text. */
  chat(request: TextRequest, onText: (soFar: string) => void, signal: AbortSignal): Promise<string>
}

export interface ImageBackend {
  image(request: ImageRequest, signal: AbortSignal): Promise<GeneratedImage>
}

/**
 * A back-end failure, its message fit for the customer (no back-end address, no key). The
 * details go to the log.
 */
export class BackendError extends Error {
  override readonly name = 'BackendError'
}
