import { describe, expect, it } from 'vitest'
import { FsError } from '../../fs/error'
import { appendFile, readText, writeFile } from '../../fs/io'
import type { Change } from '../../fs/types'
import { LogsFs } from '.'

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code)

/** Takes `count` lines from an iterator, then stops it. */
async function take(lines: AsyncIterable<string>, count: number): Promise<string[]> {
  const out: string[] = []
  if (count === 0) return out
  for await (const line of lines) if (out.push(line) === count) break
  return out
}

describe('LogsFs', () => {
  it('lists the three OANIX logs and appends every write', async () => {
    const logs = new LogsFs()
    expect((await logs.readdir('/')).map((e) => e.name)).toEqual(['events.jsonl', 'stderr.log', 'stdout.log'])
    await appendFile(logs, '/stdout.log', 'one\n')
    const plain = await logs.open('/stdout.log', { write: true })
    await plain.write('two\n')
    await plain.flush()
    await plain.write('three\n')
    await plain.close()
    logs.append('stderr.log', 'oops\n')
    expect(await readText(logs, '/stdout.log')).toBe('one\ntwo\nthree\n')
    expect(await readText(logs, '/stderr.log')).toBe('oops\n')
    expect((await logs.stat('/stdout.log')).size).toBe(14)
  })

  it('refuses truncation and writing at an earlier position, changing nothing', async () => {
    const logs = new LogsFs()
    logs.append('stdout.log', 'kept\n')
    expect(await code(writeFile(logs, '/stdout.log', 'gone'))).toBe('permission-denied')
    expect(await code(logs.open('/stdout.log', { write: true, truncate: true }))).toBe('permission-denied')
    const handle = await logs.open('/stdout.log', { read: true, write: true })
    expect(await readText(logs, '/stdout.log')).toBe('kept\n')
    await handle.seek(0)
    expect(await code(handle.write('X'))).toBe('permission-denied')
    await handle.seek(5)
    await handle.write('more\n')
    await handle.close()
    expect(await readText(logs, '/stdout.log')).toBe('kept\nmore\n')
    expect(await code(logs.open('/new.log', { write: true, create: true }))).toBe('permission-denied')
    expect(await code(logs.remove('/stdout.log'))).toBe('permission-denied')
  })

  it('logs structured events as JSON lines with a timestamp', async () => {
    const logs = new LogsFs()
    logs.log('info', 'started')
    logs.log('warn', 'slow', { ms: 1200 })
    await appendFile(logs, '/events.jsonl', '{"level":"debug","message":"from the agent"}\n{"timestamp":5,"level":"info","message":"x"}')
    const events = (await readText(logs, '/events.jsonl')).trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(events).toEqual([
      { timestamp: expect.any(Number), level: 'info', message: 'started' },
      { timestamp: expect.any(Number), level: 'warn', message: 'slow', data: { ms: 1200 } },
      { timestamp: expect.any(Number), level: 'debug', message: 'from the agent' },
      { timestamp: 5, level: 'info', message: 'x' },
    ])
    expect(Math.abs(events[0].timestamp - Date.now() / 1000)).toBeLessThan(5)
  })

  it('refuses event lines that are not JSON objects, appending none of the write', async () => {
    const logs = new LogsFs()
    logs.log('info', 'first')
    const before = await readText(logs, '/events.jsonl')
    for (const bad of ['{"ok":1}\nnot json\n', '[1,2]\n', '"text"', '{"a":1}\n\n{"b":2}\n']) {
      const error = await appendFile(logs, '/events.jsonl', bad).then(() => undefined, (e: unknown) => e)
      expect(error, bad).toBeInstanceOf(FsError)
      expect((error as FsError).code).toBe('invalid-argument')
    }
    expect(() => logs.log('loud' as 'info', 'x')).toThrow(/unknown log level/)
    expect(await readText(logs, '/events.jsonl')).toBe(before)
  })

  it('streams what is there, then new lines as they are completed, until aborted', async () => {
    const logs = new LogsFs()
    logs.append('stdout.log', 'a\nb\npart')
    const controller = new AbortController()
    const seen: string[] = []
    const done = (async () => {
      for await (const line of logs.stream('stdout.log', { signal: controller.signal })) {
        seen.push(line)
        if (line === 'b') logs.append('stdout.log', 'ial\nc\n') // written while the backlog is being read
      }
    })()
    while (seen.length < 4) await new Promise((r) => setTimeout(r, 5))
    logs.append('stdout.log', 'd\n')
    while (seen.length < 5) await new Promise((r) => setTimeout(r, 5))
    controller.abort()
    await done
    expect(seen).toEqual(['a', 'b', 'partial', 'c', 'd'])
  })

  it('loses and repeats nothing between backlog and live lines under interleaved writes', async () => {
    const logs = new LogsFs()
    for (let i = 0; i < 50; i++) logs.append('stderr.log', `${i}\n`)
    const reading = take(logs.stream('stderr.log'), 500)
    for (let i = 50; i < 500; i++) {
      logs.append('stderr.log', `${i}\n`)
      if (i % 7 === 0) await Promise.resolve()
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 0))
    }
    expect(await reading).toEqual(Array.from({ length: 500 }, (_, i) => String(i)))
  })

  it('keeps at most maxBytes per file, dropping the oldest lines whole', async () => {
    const logs = new LogsFs({ maxBytes: 12 })
    logs.append('stdout.log', 'line1\nline2\n')
    logs.append('stdout.log', 'line3\n')
    expect(await readText(logs, '/stdout.log')).toBe('line2\nline3\n')
    expect(await take(logs.stream('stdout.log'), 2)).toEqual(['line2', 'line3'])
    logs.append('stdout.log', 'a-line-longer-than-the-cap\n')
    expect(await readText(logs, '/stdout.log')).toBe('han-the-cap\n')
    logs.append('stderr.log', 'x'.repeat(100))
    expect(await readText(logs, '/stderr.log')).toBe('x'.repeat(12))
  })

  it('joins a character split across writes and tells watchers of appends', async () => {
    const logs = new LogsFs()
    const changes: Change[] = []
    logs.watch('/', (c) => changes.push(c))
    const snowman = new TextEncoder().encode('☃\n')
    logs.append('stdout.log', snowman.subarray(0, 1))
    logs.append('stdout.log', snowman.subarray(1))
    expect(await readText(logs, '/stdout.log')).toBe('☃\n')
    expect(changes).toEqual([
      { type: 'modify', path: '/stdout.log', size: 0 },
      { type: 'modify', path: '/stdout.log', size: 4 },
    ])
  })
})
