import { describe, expect, it } from 'vitest'
import { FsError } from '../../fs/error'
import { readJson, readText, writeFile } from '../../fs/io'
import type { Change } from '../../fs/types'
import { Namespace } from '../../namespace'
import { parseTaskStatus, TaskFs } from '.'

const spec = { id: 'task-001', task_type: 'regex', description: 'Extract dates', input: { pattern: 'date' } }
const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code)

describe('TaskFs', () => {
  it('lays out spec, meta, status and result as OANIX does', async () => {
    const task = new TaskFs(spec, { created_at: 1700000000, tags: ['t'] })
    expect((await task.readdir('/')).map((e) => e.name)).toEqual(['meta.json', 'result.json', 'spec.json', 'status'])
    expect(await readJson(task, '/spec.json')).toEqual(spec)
    expect(await readJson(task, '/meta.json')).toEqual({ created_at: 1700000000, tags: ['t'], timeout_secs: null, version: 1 })
    expect(await readText(task, '/status')).toBe('{\n  "status": "pending"\n}')
    expect(await readText(task, '/result.json')).toBe('')
    expect(await code(task.open('/spec.json', { write: true }))).toBe('permission-denied')
    expect(await code(task.remove('/status'))).toBe('permission-denied')
  })

  it('moves through the lifecycle from the API, in OANIX status JSON', async () => {
    const task = new TaskFs(spec)
    task.start()
    const running = await readJson<Record<string, unknown>>(task, '/status')
    expect(running).toEqual({ status: 'running', started_at: expect.any(Number) })
    expect(Math.abs((running.started_at as number) - Date.now() / 1000)).toBeLessThan(5)
    task.setResult({ dates: ['2024-01-01'] })
    task.complete()
    expect(task.finished).toBe(true)
    expect(await readJson(task, '/status')).toEqual({ status: 'completed', finished_at: expect.any(Number) })
    expect(await readJson(task, '/result.json')).toEqual({ dates: ['2024-01-01'] })
    task.fail('out of memory')
    expect(Object.keys(await readJson(task, '/status'))).toEqual(['status', 'finished_at', 'error'])
    expect(task.status).toEqual({ status: 'failed', finished_at: expect.any(Number), error: 'out of memory' })
  })

  it('lets an agent write status and result through a read-write mount, and tells watchers', async () => {
    const task = new TaskFs(spec)
    const ns = Namespace.builder().mount('/task', task).build()
    const changes: Change[] = []
    ns.watch('/task', (c) => changes.push(c))
    await writeFile(ns, '/task/status', '{"status":"running","started_at":1700000001}')
    expect(task.status).toEqual({ status: 'running', started_at: 1700000001 })
    await writeFile(ns, '/task/result.json', '{"answer": 42}')
    await writeFile(ns, '/task/status', '{"status":"failed","error":"gave up"}')
    expect(task.status).toEqual({ status: 'failed', finished_at: expect.any(Number), error: 'gave up' })
    expect(task.result()).toEqual({ answer: 42 })
    expect(await readText(ns, '/task/result.json')).toBe('{"answer": 42}')
    expect(changes.map((c) => `${c.type} ${c.path}`)).toEqual(['modify /task/status', 'modify /task/result.json', 'modify /task/status'])
  })

  it('refuses malformed status and result writes with io, changing nothing', async () => {
    const task = new TaskFs(spec)
    task.start()
    const before = await readText(task, '/status')
    for (const bad of [
      'running',
      '[]',
      '{"status":"done"}',
      '{"state":"running"}',
      '{"status":"failed","finished_at":1}',
      '{"status":"running","started_at":-1}',
      '{"status":"running","started_at":"noon"}',
      '{"status":"completed","finished_at":1,"error":"x"}',
      '{"status":"pending","startedAt":1}',
    ]) {
      const error = await writeFile(task, '/status', bad).then(() => undefined, (e: unknown) => e)
      expect(error, bad).toBeInstanceOf(FsError)
      expect((error as FsError).code).toBe('invalid-argument')
      expect((error as FsError).message).toMatch(/invalid status/)
    }
    expect(await readText(task, '/status')).toBe(before)
    task.setResult({ ok: true })
    expect(await code(writeFile(task, '/result.json', '{"ok": tru'))).toBe('invalid-argument')
    expect(task.result()).toEqual({ ok: true })
  })

  it('is read-only to an agent when mounted read-only', async () => {
    const task = new TaskFs(spec)
    const ns = Namespace.builder().mount('/task', task, { mode: 'ro' }).build()
    expect(await code(writeFile(ns, '/task/status', '{"status":"running"}'))).toBe('read-only')
    expect(await code(writeFile(ns, '/task/result.json', '{}'))).toBe('read-only')
    expect(task.status).toEqual({ status: 'pending' })
    task.complete()
    expect((await readJson<{ status: string }>(ns, '/task/status')).status).toBe('completed')
  })

  it('parses status writes exactly, filling in times left out', () => {
    expect(parseTaskStatus('{"status":"completed"}', 123)).toEqual({ status: 'completed', finished_at: 123 })
    expect(parseTaskStatus('{"status":"pending"}')).toEqual({ status: 'pending' })
  })
})
