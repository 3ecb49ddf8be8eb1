import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchText } from './fetch-text'
import { closedOrigin, startFakeOpenAi, type FakeOpenAi } from './testing/fake-openai'

let server: FakeOpenAi
beforeAll(async () => {
  server = await startFakeOpenAi()
  server.files.set('notes.md', { body: '# Notes\nüber alles', type: 'text/markdown; charset=utf-8' })
  server.files.set('data.json', { body: '{"a":1}', type: 'application/json' })
  server.files.set('big.txt', { body: 'x'.repeat(5000), type: 'text/plain' })
  server.files.set('big-chunked.txt', { body: 'y'.repeat(50000), type: 'text/plain', chunked: true })
  server.files.set('photo.png', { body: new Uint8Array([0x89, 0x50]), type: 'image/png' })
  server.files.set('stalls.txt', { body: '', type: 'text/plain', stall: true })
})
afterAll(() => server.stop())

const never = new AbortController().signal
const get = (name: string, maxBytes = 1000, timeoutMs = 2000) => fetchText(`${server.origin}/files/${name}`, maxBytes, timeoutMs, never)

describe('fetchText', () => {
  it('reads text and code types', async () => {
    expect(await get('notes.md')).toBe('# Notes\nüber alles')
    expect(await get('data.json')).toBe('{"a":1}')
  })

  it('refuses a body over the limit, by its declared length or by counting', async () => {
    await expect(get('big.txt')).rejects.toThrow(`url input ${server.origin}/files/big.txt is larger than 1000 bytes`)
    await expect(get('big-chunked.txt', 20000)).rejects.toThrow('is larger than 20000 bytes')
    expect(await get('big.txt', 5000)).toHaveLength(5000)
  })

  it('refuses what is not text, errors, unreachable hosts, other schemes and slow servers', async () => {
    await expect(get('photo.png')).rejects.toThrow('photo.png is image/png, not text')
    await expect(get('missing')).rejects.toThrow('/files/missing answered 404')
    const closed = await closedOrigin()
    await expect(fetchText(`${closed}/x`, 1000, 2000, never)).rejects.toThrow(`url input ${closed}/x is unreachable`)
    await expect(fetchText('file:///etc/passwd', 1000, 2000, never)).rejects.toThrow('only http and https URLs are fetched')
    await expect(get('stalls.txt', 1000, 300)).rejects.toThrow('did not arrive within 0.3 s')
  })
})
