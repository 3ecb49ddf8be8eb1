/** Reading back-end bodies: event streams chunk by chunk, whole bodies up to a size, image types. */
import type { Silence } from './silence'
import { DONE, SseDecoder, chunkText } from './sse'
import { BackendError } from './types'

/**
 * Feeds each event's data to `onData` as it arrives, touching `silence` on every chunk. Stops
 * when the body ends or `onData` returns false.
 */
export async function readEvents(body: ReadableStream<Uint8Array>, silence: Silence, onData: (data: string) => boolean | void) {
  const reader = body.getReader()
  const text = new TextDecoder()
  const sse = new SseDecoder()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      silence.touch()
      const events = done ? [...sse.push(text.decode()), ...sse.end()] : sse.push(text.decode(value, { stream: true }))
      for (const data of events) if (onData(data) === false) return
      if (done) return
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

/**
 * A streamed completion: accumulates each chunk's text, telling `onText` the text so far, until
 * `[DONE]` or the end. `who` names the back-end in errors.
 */
export async function readCompletion(body: ReadableStream<Uint8Array>, silence: Silence, onText: (soFar: string) => void, who: string) {
  let text = ''
  await readEvents(body, silence, (data) => {
    if (data === DONE) return false
    let payload: unknown
    try {
      payload = JSON.parse(data)
    } catch {
      throw new BackendError(`${who} sent an unreadable stream`)
    }
    const chunk = chunkText(payload)
    if ('error' in chunk) throw new BackendError(`${who} failed: ${chunk.error}`)
    if (chunk.text === '') return
    text += chunk.text
    onText(text)
  })
  return text
}

/** The whole body, refused past `maxBytes`. */
export async function readBytes(body: ReadableStream<Uint8Array>, maxBytes: number, silence: Silence): Promise<Uint8Array> {
  const reader = body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      silence.touch()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) throw new BackendError(`the model back-end sent more than ${maxBytes} bytes`)
      parts.push(value)
    }
  } finally {
    reader.cancel().catch(() => {})
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.byteLength
  }
  return out
}

/** Images larger than this are refused. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024

const SIGNATURES: Array<[string, number[], number]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0],
  ['image/jpeg', [0xff, 0xd8, 0xff], 0],
  ['image/gif', [0x47, 0x49, 0x46, 0x38], 0],
  ['image/webp', [0x57, 0x45, 0x42, 0x50], 8], // "WEBP" after "RIFF" and a length
]

/** The image type its first bytes say, or null when they are not PNG, JPEG, GIF or WebP. */
export function imageType(bytes: Uint8Array): string | null {
  for (const [type, magic, offset] of SIGNATURES) {
    if (magic.every((b, i) => bytes[offset + i] === b)) return type
  }
  return null
}

/** The image a back-end answered with, refused when it is not one. */
export function asImage(bytes: Uint8Array): { bytes: Uint8Array; type: string } {
  const type = imageType(bytes)
  if (!type) throw new BackendError('the model back-end answered with something that is not a PNG, JPEG, GIF or WebP image')
  return { bytes, type }
}
