/** Byte plumbing the edge services share. */
import { concatBytes } from '../sdk/fs/handle'

/** A body read whole, or null once it passes `max` bytes (the rest is not read). */
export async function readCapped(body: ReadableStream<Uint8Array> | null, declared: number, max: number): Promise<Uint8Array | null> {
  if (declared > max) {
    await body?.cancel()
    return null
  }
  if (!body) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return concatBytes(chunks)
    size += value.length
    if (size > max) {
      await reader.cancel()
      return null
    }
    chunks.push(value)
  }
}

/** The bytes as an ArrayBuffer of their own (what SQLite storage binds as a blob). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}
