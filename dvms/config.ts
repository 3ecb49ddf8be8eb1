/**
 * Each DVM's configuration from wrangler vars (or .dev.vars), one uniform scheme per DVM prefix
 * (CODEGEN, CHAT, IMAGE):
 *
 *   <P>_BACKEND      openai | workers-ai; unset: the DVM does not serve (no announcement)
 *   <P>_BASE_URL     OpenAI-compatible base URL up to the version (default https://api.openai.com/v1)
 *   <P>_API_KEY      bearer token for it (a secret)
 *   <P>_MODEL        the model used when a request names none (required for openai)
 *   <P>_MODELS       comma-separated further models a request's `model` param may choose
 *   <P>_TIMEOUT      seconds the back-end may stay silent before the job fails (default 60)
 *   <P>_PRICE        millisats per job (default 0: serves everyone)
 *   <P>_MAX_TOKENS   largest max_tokens a request may ask, and the default (text DVMs; default 4096)
 *   <P>_SECRET_KEY   the DVM's Nostr key, 64 hex (a secret); unset: generated once and kept in storage
 *
 * Shared by all: DVM_MAX_INPUT_BYTES (all inputs together, url bodies included; default 262144),
 * DVM_FETCH_TIMEOUT (seconds for a url input; default 10). Pure.
 */

export type BackendKind = 'openai' | 'workers-ai'

export interface BackendConfig {
  kind: BackendKind
  baseUrl: string
  apiKey?: string
  timeoutMs: number
}

export interface InputLimits {
  maxBytes: number
  fetchTimeoutMs: number
}

export interface DvmConfig {
  backend: BackendConfig
  /** The models a request may name; the first is the default. */
  models: string[]
  price: number
  maxTokens: number
  secretKey?: string
  limits: InputLimits
}

export const OPENAI_BASE_URL = 'https://api.openai.com/v1'

/** `{ error }` says why the DVM does not serve: nothing configured, or a var that makes no sense. */
export function readDvmConfig(vars: Record<string, unknown>, prefix: string, workersAiModel: string): DvmConfig | { error: string } {
  const v = (name: string) => {
    const raw = vars[name.startsWith('DVM_') ? name : `${prefix}_${name}`]
    return typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : typeof raw === 'number' ? String(raw) : undefined
  }
  const kind = v('BACKEND')
  if (kind === undefined) return { error: `no back-end configured (set ${prefix}_BACKEND to openai or workers-ai)` }
  if (kind !== 'openai' && kind !== 'workers-ai') return { error: `${prefix}_BACKEND: expected openai or workers-ai, got ${kind}` }
  const model = v('MODEL') ?? (kind === 'workers-ai' ? workersAiModel : undefined)
  if (model === undefined) return { error: `${prefix}_MODEL: an openai back-end needs a model name` }
  const baseUrl = v('BASE_URL') ?? OPENAI_BASE_URL
  if (!/^https?:\/\/[^/]/.test(baseUrl)) return { error: `${prefix}_BASE_URL: expected an http(s) URL, got ${baseUrl}` }
  const secretKey = v('SECRET_KEY')
  if (secretKey !== undefined && !/^[0-9a-f]{64}$/i.test(secretKey)) return { error: `${prefix}_SECRET_KEY: expected 64 hex characters` }
  try {
    const number = (name: string, fallback: number, min: number) => {
      const raw = v(name)
      if (raw === undefined) return fallback
      const n = Number(raw)
      if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name.startsWith('DVM_') ? name : `${prefix}_${name}`}: expected a whole number of at least ${min}, got ${raw}`)
      return n
    }
    const extra = (v('MODELS') ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '' && m !== model)
    return {
      backend: { kind, baseUrl, ...(v('API_KEY') ? { apiKey: v('API_KEY') } : {}), timeoutMs: number('TIMEOUT', 60, 1) * 1000 },
      models: [model, ...new Set(extra)],
      price: number('PRICE', 0, 0),
      maxTokens: number('MAX_TOKENS', 4096, 1),
      ...(secretKey ? { secretKey: secretKey.toLowerCase() } : {}),
      limits: { maxBytes: number('DVM_MAX_INPUT_BYTES', 262144, 1), fetchTimeoutMs: number('DVM_FETCH_TIMEOUT', 10, 1) * 1000 },
    }
  } catch (err) {
    return { error: (err as Error).message }
  }
}

/**
 * Where the platform is reached from outside, for links to its blobs: PUBLIC_URL, else the
 * relay's RELAY_URL with ws(s) read as http(s); null when neither is set.
 */
export function publicBaseUrl(vars: Record<string, unknown>): string | null {
  const pick = (name: string) => (typeof vars[name] === 'string' && (vars[name] as string).trim() !== '' ? (vars[name] as string).trim() : null)
  const url = pick('PUBLIC_URL') ?? pick('RELAY_URL')?.replace(/^ws(s?):\/\//, 'http$1://') ?? null
  return url && /^https?:\/\/[^/]/.test(url) ? url.replace(/\/+$/, '') : null
}
