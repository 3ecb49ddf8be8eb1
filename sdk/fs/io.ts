/** Whole-file conveniences over any FileService, and text/byte conversion. */
import type { FileService } from './types'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data
}

export function toText(data: Uint8Array): string {
  return decoder.decode(data)
}

export async function readFile(fs: FileService, path: string): Promise<Uint8Array> {
  const handle = await fs.open(path, { read: true })
  try {
    return await handle.read()
  } finally {
    await handle.close()
  }
}

export async function readText(fs: FileService, path: string): Promise<string> {
  return toText(await readFile(fs, path))
}

export async function readJson<T = unknown>(fs: FileService, path: string): Promise<T> {
  return JSON.parse(await readText(fs, path)) as T
}

/** Creates or replaces the file with `data`, in one flush. */
export async function writeFile(fs: FileService, path: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(path, { write: true, create: true, truncate: true })
  try {
    await handle.write(data)
  } finally {
    await handle.close()
  }
}

export async function appendFile(fs: FileService, path: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(path, { write: true, create: true, append: true })
  try {
    await handle.write(data)
  } finally {
    await handle.close()
  }
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function base64ToBytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}
