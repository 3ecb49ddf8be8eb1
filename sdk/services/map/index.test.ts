import { describe, expect, it } from 'vitest'
import { FsError } from '../../fs/error'
import { readText } from '../../fs/io'
import { MapFs } from '.'

describe('MapFs', () => {
  const fs = new MapFs({ '/README.md': '# hi', '/src/main.ts': 'export {}' })

  it('serves the files it was given, with their directories', async () => {
    expect(await readText(fs, '/src/main.ts')).toBe('export {}')
    expect((await fs.readdir('/')).map((e) => e.name)).toEqual(['README.md', 'src'])
    expect((await fs.stat('/README.md')).readonly).toBe(true)
  })

  it.each([
    ['write', () => fs.open('/README.md', { write: true })],
    ['create', () => fs.open('/new', { write: true, create: true })],
    ['append', () => fs.open('/README.md', { append: true })],
    ['mkdir', () => fs.mkdir('/d')],
    ['remove', () => fs.remove('/README.md')],
    ['rename', () => fs.rename('/README.md', '/x')],
  ])('refuses %s as read-only', async (_name, change) => {
    await expect(change()).rejects.toSatisfy((e) => FsError.is(e, 'read-only'))
  })
})
