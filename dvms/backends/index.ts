/** The back-end a DVM's configuration names. */
import type { BackendConfig } from '../config'
import { OpenAiBackend } from './openai'
import type { ImageBackend, TextBackend } from './types'
import { WorkersAiBackend, type AiBinding } from './workers-ai'

export type { AiBinding }
export * from './types'

export type Backend = TextBackend & ImageBackend

/** `{ error }` when the back-end needs a binding the Worker lacks. */
export function backendOf(config: BackendConfig, ai: AiBinding | undefined): Backend | { error: string } {
  if (config.kind === 'openai') return new OpenAiBackend(config)
  if (!ai) return { error: 'the workers-ai back-end needs the Workers AI binding: add [ai] binding = "AI" to wrangler.toml' }
  return new WorkersAiBackend(ai, config.timeoutMs)
}
