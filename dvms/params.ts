/**
 * Job params: one table per DVM says which params it understands, how each value is checked,
 * and how the announcement describes it, so what is announced is what is accepted. Pure.
 */
import { JobError, type DvmInfo } from '../sdk/dvm/types'

export interface ParamSpec<T> {
  description: string
  /** Other spellings clients use (the NIP-90 example writes `top-k`, `top-p`). */
  aliases?: string[]
  values?: string[]
  default?: string
  /** The value read, or an error message. */
  read(value: string): T | { error: string }
}

export type ParamTable = Record<string, ParamSpec<unknown>>
export type ParamValues<P extends ParamTable> = { [K in keyof P]?: P[K] extends ParamSpec<infer T> ? T : never }

/** Reads a job's params by the table: unknown params and bad values end the job with a clear error. */
export function readParams<P extends ParamTable>(params: Record<string, string>, table: P): ParamValues<P> {
  const out: Record<string, unknown> = {}
  for (const [given, value] of Object.entries(params)) {
    const name = Object.keys(table).find((n) => n === given || table[n].aliases?.includes(given))
    if (name === undefined) throw new JobError(`unsupported param "${given}"; this DVM understands ${Object.keys(table).join(', ')}`)
    const read = table[name].read(value)
    if (isError(read)) throw new JobError(`param ${given}: ${read.error}`)
    out[name] = read
  }
  return out as ParamValues<P>
}

/** The table as the announcement's `params`. */
export function describeParams(table: ParamTable): NonNullable<DvmInfo['params']> {
  return Object.fromEntries(
    Object.entries(table).map(([name, p]) => [name, { description: p.description, ...(p.values ? { values: p.values } : {}), ...(p.default ? { default: p.default } : {}) }]),
  )
}

const isError = (v: unknown): v is { error: string } => typeof v === 'object' && v !== null && 'error' in v

/** A number within [min, max]; `whole` for integers. */
export function numberIn(min: number, max: number, whole = false) {
  return (value: string): number | { error: string } => {
    const n = value.trim() === '' ? NaN : Number(value)
    if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
      return { error: `expected ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${value}"` }
    }
    return n
  }
}

/** One of `values`. */
export function oneOf(values: string[]) {
  return (value: string): string | { error: string } => (values.includes(value) ? value : { error: `expected one of ${values.join(', ')}, got "${value}"` })
}

/** The params of a text model, shared by the chat and code DVMs. */
export function textParams(models: string[], maxTokens: number) {
  return {
    model: { description: 'the model to use', values: models, default: models[0], read: oneOf(models) },
    max_tokens: { description: `most tokens to generate (1-${maxTokens})`, default: String(maxTokens), read: numberIn(1, maxTokens, true) },
    temperature: { description: 'randomness, 0 (focused) to 2 (creative)', read: numberIn(0, 2) },
    top_p: { description: 'nucleus sampling, 0 to 1', aliases: ['top-p'], read: numberIn(0, 1) },
    top_k: { description: 'sample from the k likeliest tokens', aliases: ['top-k'], read: numberIn(1, 1000, true) },
    frequency_penalty: { description: 'penalty on repeated tokens, -2 to 2', read: numberIn(-2, 2) },
  } satisfies ParamTable
}
