/** A `url` input: fetched with a time limit and a size limit, and only when it is text. */
import { JobError } from '../sdk/dvm/types'

/** Types a url input may have besides text/*: what code and data files are served as. */
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|typescript|x-sh|x-python|x-yaml|yaml|toml|sql|graphql)|[^;]*\+(json|xml))/i

export async function fetchText(url: string, maxBytes: number, timeoutMs: number, signal: AbortSignal): Promise<string> {
  if (!/^https?:\/\//i.test(url)) throw new JobError(`url input ${url}: only http and https URLs are fetched`)
  const timeout = AbortSignal.timeout(timeoutMs)
  const both = AbortSignal.any([signal, timeout])
  try {
    const res = await fetch(url, { signal: both, headers: { Accept: 'text/*, application/json;q=0.9, */*;q=0.1' } })
    if (!res.ok || !res.body) {
      await res.body?.cancel()
      throw new JobError(`url input ${url} answered ${res.status}`)
    }
    const type = res.headers.get('content-type') ?? ''
    if (type !== '' && !TEXT_TYPES.test(type)) {
      await res.body.cancel()
      throw new JobError(`url input ${url} is ${type.split(';')[0]}, not text`)
    }
    const declared = Number(res.headers.get('content-length') ?? NaN)
    if (declared > maxBytes) {
      await res.body.cancel()
      throw tooLarge(url, maxBytes)
    }
    return await readText(res.body, url, maxBytes)
  } catch (err) {
    if (err instanceof JobError) throw err
    if (signal.aborted) throw signal.reason
    if (timeout.aborted) throw new JobError(`url input ${url} did not arrive within ${timeoutMs / 1000} s`)
    throw new JobError(`url input ${url} is unreachable`)
  }
}

async function readText(body: ReadableStream<Uint8Array>, url: string, maxBytes: number): Promise<string> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let size = 0
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return text + decoder.decode()
      size += value.byteLength
      if (size > maxBytes) throw tooLarge(url, maxBytes)
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

const tooLarge = (url: string, maxBytes: number) => new JobError(`url input ${url} is larger than ${maxBytes} bytes`)
