import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { readJson, readText, writeFile } from '../../sdk/fs/io'
import { fileServiceFs } from '../file-do'
import { EdgeTaskFs, edgeTaskFs, taskKey } from '.'

const spec = (id: string) => ({ id, task_type: 'regex', description: 'Extract dates', input: { pattern: 'date' } })

describe('EdgeTaskFs', () => {
  it('creates a task in its object, with spec and meta also in KV, pending', async () => {
    const id = crypto.randomUUID()
    const task = await EdgeTaskFs.create(env.TASKS, fileServiceFs(env.FILES, `task:${id}`), spec(id), { tags: ['t'] })
    expect(await readJson(task, '/spec.json')).toEqual(spec(id))
    expect(await readJson(task, '/meta.json')).toMatchObject({ tags: ['t'], timeout_secs: null, version: 1 })
    expect(await readJson(task, '/status')).toEqual({ status: 'pending' })
    expect(JSON.parse((await env.TASKS.get(taskKey(id, 'spec.json')))!)).toEqual(spec(id))
    expect((await task.readdir('/')).map((e) => e.name)).toEqual(['meta.json', 'result.json', 'spec.json', 'status'])
  })

  it('serves spec.json from KV and falls back to the object, teaching KV', async () => {
    const id = crypto.randomUUID()
    await EdgeTaskFs.create(env.TASKS, fileServiceFs(env.FILES, `task:${id}`), spec(id))
    await env.TASKS.put(taskKey(id, 'spec.json'), '{"from":"kv"}')
    const task = edgeTaskFs(env, id)
    expect(await readText(task, '/spec.json')).toBe('{"from":"kv"}')
    await env.TASKS.delete(taskKey(id, 'spec.json'))
    expect(await readJson(task, '/spec.json')).toEqual(spec(id))
    expect(await env.TASKS.get(taskKey(id, 'spec.json'))).not.toBeNull()
    await expect(readText(edgeTaskFs(env, crypto.randomUUID()), '/spec.json')).rejects.toMatchObject({ code: 'not-found' })
  })

  it('writes status and result through the object, checked, and keeps spec and meta fixed', async () => {
    const id = crypto.randomUUID()
    const task = await EdgeTaskFs.create(env.TASKS, fileServiceFs(env.FILES, `task:${id}`), spec(id))
    await writeFile(task, '/status', '{"status":"running","started_at":100}')
    expect(await readJson(edgeTaskFs(env, id), '/status')).toEqual({ status: 'running', started_at: 100 })
    await expect(writeFile(task, '/status', '{"status":"done"}')).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(writeFile(task, '/result.json', 'not json')).rejects.toMatchObject({ code: 'invalid-argument' })
    expect(await readText(task, '/result.json')).toBe('')
    await writeFile(task, '/result.json', '{"dates":["2024-01-01"]}')
    expect(await readJson(fileServiceFs(env.FILES, `task:${id}`), '/result.json')).toEqual({ dates: ['2024-01-01'] })
    await expect(writeFile(task, '/spec.json', '{}')).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(task.mkdir('/x')).rejects.toMatchObject({ code: 'permission-denied' })
    expect(await readJson(task, '/status')).toEqual({ status: 'running', started_at: 100 })
  })
})
