/** The request bodies sent to back-ends, from a DVM's request. Params the customer did not give are left out. Pure. */
import type { ImageRequest, TextRequest } from './types'

/** An OpenAI chat completion, streamed. Workers AI text models take the same fields, without `model`. */
export function chatBody(r: TextRequest): Record<string, unknown> {
  return omitUndefined({
    model: r.model,
    messages: r.messages,
    stream: true,
    max_tokens: r.maxTokens,
    temperature: r.temperature,
    top_p: r.topP,
    top_k: r.topK,
    frequency_penalty: r.frequencyPenalty,
  })
}

/** An OpenAI image generation. The API has no negative prompt: it goes into the prompt. */
export function openAiImageBody(r: ImageRequest): Record<string, unknown> {
  return omitUndefined({
    model: r.model,
    prompt: r.negativePrompt ? `${r.prompt}\n\nAvoid: ${r.negativePrompt}` : r.prompt,
    n: 1,
    size: r.width && r.height ? `${r.width}x${r.height}` : undefined,
  })
}

/** A Workers AI image model's inputs (Stable Diffusion names; FLUX reads the prompt). */
export function workersAiImageInputs(r: ImageRequest): Record<string, unknown> {
  return omitUndefined({ prompt: r.prompt, negative_prompt: r.negativePrompt, width: r.width, height: r.height })
}

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
}
