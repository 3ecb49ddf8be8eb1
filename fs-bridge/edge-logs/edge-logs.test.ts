import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { appendFile, readText } from '../../sdk/fs/io'
import { EdgeLogsFs } from '.'

const logs = () => {
  const prefix = `logs/${crypto.randomUUID()}`
  return { fs: new EdgeLogsFs(env.WORKSPACE, prefix), prefix }
}

describe('EdgeLogsFs', () => {
  it('appends each flush as its own R2 object, in order, and reads the log back whole', async () => {
    const { fs, prefix } = logs()
    for (let i = 0; i < 12; i++) await appendFile(fs, '/stdout.log', `line ${i}\n`)
    expect(await readText(fs, '/stdout.log')).toBe(Array.from({ length: 12 }, (_, i) => `line ${i}\n`).join(''))
    const listed = await env.WORKSPACE.list({ prefix: `${prefix}/stdout.log/` })
    expect(listed.objects).toHaveLength(12)
    expect(await readText(fs, '/stderr.log')).toBe('')
  })

  it('writes go to the end whatever the position, and seeks read ranges across objects', async () => {
    const { fs } = logs()
    await appendFile(fs, '/stderr.log', 'abc')
    const handle = await fs.open('/stderr.log', { read: true, write: true })
    await handle.seek(0)
    await handle.write('def')
    await handle.flush()
    await handle.write('ghi')
    await handle.close()
    const reader = await fs.open('/stderr.log', { read: true })
    await reader.seek(2)
    expect(new TextDecoder().decode(await reader.read(5))).toBe('cdefg')
    expect(new TextDecoder().decode(await reader.read())).toBe('hi')
    await reader.close()
    expect(await fs.stat('/stderr.log')).toMatchObject({ kind: 'file', size: 9 })
    expect(await fs.readdir('/')).toEqual([
      { name: 'events.jsonl', kind: 'file', size: 0 },
      { name: 'stderr.log', kind: 'file', size: 9 },
      { name: 'stdout.log', kind: 'file', size: 0 },
    ])
  })

  it('takes JSON objects in events.jsonl, stamping a timestamp, and refuses the rest whole', async () => {
    const { fs } = logs()
    await appendFile(fs, '/events.jsonl', '{"level":"info","message":"started","timestamp":5}\n{"level":"warn","message":"slow"}\n')
    await expect(appendFile(fs, '/events.jsonl', '{"level":"info"}\nnot json\n')).rejects.toMatchObject({ code: 'invalid-argument' })
    const lines = (await readText(fs, '/events.jsonl')).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toEqual({ timestamp: 5, level: 'info', message: 'started' })
    expect(lines[1]).toMatchObject({ level: 'warn', message: 'slow', timestamp: expect.any(Number) })
  })

  it('has a fixed structure and refuses truncation', async () => {
    const { fs } = logs()
    await expect(fs.open('/stdout.log', { write: true, truncate: true })).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(fs.open('/other.log', { write: true, create: true })).rejects.toMatchObject({ code: 'not-found' })
    await expect(fs.mkdir('/dir')).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(fs.remove('/stdout.log')).rejects.toMatchObject({ code: 'permission-denied' })
    await expect(fs.rename('/stdout.log', '/x.log')).rejects.toMatchObject({ code: 'permission-denied' })
  })
})
