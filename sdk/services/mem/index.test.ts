import { describe, expect, it } from 'vitest'
import { readText, writeFile } from '../../fs/io'
import type { Change } from '../../fs/types'
import { describeFileService } from '../../testing/file-service-suite'
import { MemFs } from '.'

describeFileService('MemFs', async () => ({ fs: new MemFs(), root: '/' }))
describeFileService('MemFs in a subdirectory', async () => {
  const fs = new MemFs()
  await fs.mkdir('/sub')
  return { fs, root: '/sub' }
})

describe('MemFs', () => {
  it('survives a snapshot round trip with versions still moving forward', async () => {
    const fs = MemFs.from({ '/a/b.txt': 'bee', '/c': new Uint8Array([0, 255, 7]) })
    await fs.mkdir('/empty')
    const copy = MemFs.fromSnapshot(JSON.parse(JSON.stringify(fs.snapshot())))
    expect(await readText(copy, '/a/b.txt')).toBe('bee')
    expect((await copy.readdir('/')).map((e) => e.name)).toEqual(['a', 'c', 'empty'])
    const before = Number((await fs.stat('/c')).version)
    await writeFile(copy, '/c', 'new')
    expect(Number((await copy.stat('/c')).version)).toBeGreaterThan(before)
  })

  it('tells watchers of changes to the path and its children, and below with recursive', async () => {
    const fs = new MemFs()
    await fs.mkdir('/d')
    await fs.mkdir('/d/deep')
    const direct: Change[] = []
    const recursive: Change[] = []
    fs.watch('/d', (c) => direct.push(c))
    const stop = fs.watch('/d', (c) => recursive.push(c), { recursive: true })
    await writeFile(fs, '/d/f', 'x')
    await writeFile(fs, '/d/deep/g', 'y')
    await fs.rename('/d/f', '/d/h')
    await fs.remove('/d/h')
    expect(direct.map((c) => `${c.type} ${c.path}`)).toEqual(['create /d/f', 'modify /d/f', 'rename /d/f', 'delete /d/h'])
    expect(recursive.map((c) => c.path)).toContain('/d/deep/g')
    stop()
    await writeFile(fs, '/d/z', 'z')
    expect(recursive.map((c) => c.path)).not.toContain('/d/z')
  })

  it('keeps writing to a file that an open handle holds after it was renamed', async () => {
    const fs = MemFs.from({ '/a': 'x' })
    const handle = await fs.open('/a', { write: true, truncate: true })
    await fs.rename('/a', '/b')
    await handle.write('after')
    await handle.close()
    expect(await readText(fs, '/b')).toBe('after')
  })
})
