import { describe, expect, it } from 'vitest'
import { FsError } from '../../fs/error'
import { readText, writeFile } from '../../fs/io'
import { describeFileService } from '../../testing/file-service-suite'
import { MapFs } from '../map'
import { MemFs } from '../mem'
import { CowFs } from '.'

describeFileService('CowFs over an empty base', async () => ({ fs: new CowFs(new MapFs({})), root: '/' }))
// Every write under /work copies the base's directory up first.
describeFileService('CowFs in a base directory', async () => ({ fs: new CowFs(new MapFs({ '/work/keep': 'k' })), root: '/work' }))

describe('CowFs', () => {
  const base = () => MemFs.from({ '/src/a.ts': 'A', '/src/b.ts': 'B', '/docs/x.md': 'X' })

  it('writes over the base without ever changing it', async () => {
    const lower = base()
    const before = JSON.stringify(lower.snapshot().files)
    const fs = new CowFs(lower)
    await writeFile(fs, '/src/a.ts', 'changed')
    const appender = await fs.open('/src/b.ts', { write: true, append: true })
    await appender.write('+')
    await appender.close()
    await fs.remove('/docs', { recursive: true })
    await fs.rename('/src/b.ts', '/src/c.ts')
    expect(await readText(fs, '/src/a.ts')).toBe('changed')
    expect(await readText(fs, '/src/c.ts')).toBe('B+')
    expect((await fs.readdir('/')).map((e) => e.name)).toEqual(['src'])
    expect((await fs.readdir('/src')).map((e) => e.name)).toEqual(['a.ts', 'c.ts'])
    expect(JSON.stringify(lower.snapshot().files)).toBe(before)
  })

  it('keeps a removed directory hidden when it is made again', async () => {
    const fs = new CowFs(base())
    await fs.remove('/src', { recursive: true })
    await fs.mkdir('/src')
    expect(await fs.readdir('/src')).toEqual([])
    await expect(fs.stat('/src/a.ts')).rejects.toSatisfy((e) => FsError.is(e, 'not-found'))
    await expect(fs.open('/src/a.ts', { read: true })).rejects.toSatisfy((e) => FsError.is(e, 'not-found'))
  })

  it('reads through to the base until a write copies the file up', async () => {
    const fs = new CowFs(base())
    const reader = await fs.open('/src/a.ts', { read: true })
    await writeFile(fs, '/src/a.ts', 'new')
    expect(new TextDecoder().decode(await reader.read())).toBe('A')
    expect(await readText(fs, '/src/a.ts')).toBe('new')
  })
})
