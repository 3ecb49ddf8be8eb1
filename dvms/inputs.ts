/**
 * A request's inputs as text, per NIP-90's input types: `text` as given, `url` fetched, `event`
 * and `job` resolved through the relay. All of them together stay under the input size limit.
 */
import type { InputLimits } from './config'
import { answerOf } from './earlier-job'
import { fetchText } from './fetch-text'
import type { Signer } from '../sdk/nostr/signer'
import { JobError, type Job, type JobContext, type JobInput } from '../sdk/dvm/types'

export interface ReadInput {
  input: JobInput
  text: string
}

export interface InputDeps {
  limits: InputLimits
  signer: Signer
}

/** Reads every input but those of the types in `skip`; throws a JobError naming the input that failed. */
export async function readInputs(job: Job, ctx: JobContext, deps: InputDeps, skip: JobInput['type'][] = []): Promise<ReadInput[]> {
  const out: ReadInput[] = []
  let size = 0
  for (const input of job.inputs) {
    if (skip.includes(input.type)) continue
    const text = await readInput(input, job, ctx, deps, deps.limits.maxBytes - size)
    size += byteLength(text)
    if (size > deps.limits.maxBytes) throw inputTooLarge(deps.limits.maxBytes)
    out.push({ input, text })
  }
  return out
}

async function readInput(input: JobInput, job: Job, ctx: JobContext, deps: InputDeps, budget: number): Promise<string> {
  switch (input.type) {
    case 'text':
      return input.data
    case 'url':
      return fetchText(input.data, Math.max(0, budget), deps.limits.fetchTimeoutMs, ctx.signal)
    case 'event': {
      const event = await ctx.resolveEvent(input.data)
      if (!event) throw new JobError(`event input ${input.data} was not found`)
      return event.content
    }
    case 'job': {
      const result = job.chained[input.data] ?? (await ctx.resolveJobResult(input.data))
      if (!result) throw new JobError(`job input ${input.data} has no result yet`)
      return answerOf(input.data, result, deps.signer)
    }
  }
}

/**
 * The prompt from the inputs: text inputs in order, then what url, event and job inputs brought,
 * each marked with where it came from. Pure.
 */
export function promptOf(inputs: ReadInput[]): string {
  const texts = inputs.filter((i) => i.input.type === 'text').map((i) => i.text.trim())
  const material = inputs.filter((i) => i.input.type !== 'text').map((i) => `--- ${i.input.type} ${i.input.data} ---\n${i.text.trim()}`)
  const prompt = [...texts, ...material].filter((s) => s !== '').join('\n\n')
  if (prompt === '') throw new JobError('the request has no input: give the prompt in an i tag, e.g. ["i", "...", "text"]')
  return prompt
}

/** The input size limit, for inputs read elsewhere (a chat's earlier turns). */
export function checkInputSize(texts: string[], maxBytes: number) {
  if (texts.reduce((n, t) => n + byteLength(t), 0) > maxBytes) throw inputTooLarge(maxBytes)
}

const byteLength = (s: string) => new TextEncoder().encode(s).length
const inputTooLarge = (maxBytes: number) => new JobError(`input too large: the inputs together may be at most ${maxBytes} bytes`)
