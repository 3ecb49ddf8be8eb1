import { describe, expect, it } from 'vitest'
import { FsError } from '../../fs/error'
import { readText, toText, writeFile } from '../../fs/io'
import { dir, file, FuncFs, jsonFile } from '.'

describe('FuncFs', () => {
  const make = () => {
    const messages: string[] = []
    const fs = new FuncFs(
      dir({
        status: jsonFile(() => ({ count: messages.length })),
        control: file(
          () => messages.at(-1) ?? '',
          (data) => void messages.push(toText(data)),
        ),
        items: dir(() => new Map(messages.map((m, i) => [`${i}.txt`, file(() => m)]))),
      }),
    )
    return { fs, messages }
  }

  it('serves computed files and directories', async () => {
    const { fs, messages } = make()
    messages.push('first')
    expect(JSON.parse(await readText(fs, '/status'))).toEqual({ count: 1 })
    expect(await fs.readdir('/items')).toEqual([{ name: '0.txt', kind: 'file', size: 5 }])
    expect((await fs.stat('/status')).readonly).toBe(true)
    expect((await fs.stat('/control')).readonly).toBe(false)
  })

  it('hands each flush of a control file to its writer, starting from empty', async () => {
    const { fs, messages } = make()
    await writeFile(fs, '/control', 'a long first message')
    const handle = await fs.open('/control', { write: true })
    await handle.write('two')
    await handle.flush()
    await handle.write('three')
    await handle.close()
    expect(messages).toEqual(['a long first message', 'two', 'three'])
    expect(await readText(fs, '/control')).toBe('three')
  })

  it('refuses writes to computed files and anything structural', async () => {
    const { fs } = make()
    const codes = async (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code)
    expect(await codes(fs.open('/status', { write: true }))).toBe('permission-denied')
    expect(await codes(fs.open('/new', { write: true, create: true }))).toBe('permission-denied')
    expect(await codes(fs.mkdir('/d'))).toBe('permission-denied')
    expect(await codes(fs.remove('/status'))).toBe('permission-denied')
    expect(await codes(fs.rename('/status', '/s'))).toBe('permission-denied')
    expect(await codes(fs.stat('/nope'))).toBe('not-found')
    expect(await codes(fs.readdir('/status'))).toBe('not-a-directory')
  })
})
