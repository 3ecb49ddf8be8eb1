import { describe, expect, it } from 'vitest'
import type { DirEntry } from '../../../sdk/fs/types'
import { notificationTemplate, page, responseTemplate, visibleChange } from './response'

const entries = (n: number, nameLength = 4): DirEntry[] =>
  Array.from({ length: n }, (_, i) => ({ name: String(i).padStart(nameLength, '0'), kind: i % 2 ? 'dir' : 'file', size: i }))

describe('responses', () => {
  it('tags a response with the request, the caller and an expiration', () => {
    expect(responseTemplate('e'.repeat(64), 'c'.repeat(64), 'x', 100)).toEqual({
      kind: 25931, created_at: 100, content: 'x', tags: [['e', 'e'.repeat(64)], ['p', 'c'.repeat(64)], ['expiration', '160']],
    })
    expect(notificationTemplate('w'.repeat(64), 'c'.repeat(64), 'x', 100).kind).toBe(25932)
  })
})

describe('page', () => {
  it('pages by cursor and limit', () => {
    const first = page(entries(5), undefined, 2, 10_000)
    expect(first).toEqual({ entries: [{ name: '0000', is_dir: false, size: 0 }, { name: '0001', is_dir: true, size: 1 }], next_cursor: '0001' })
    expect(page(entries(5), '0001', 2, 10_000)).toMatchObject({ next_cursor: '0003' })
    expect(page(entries(5), '0003', 2, 10_000)).toEqual({ entries: [{ name: '0004', is_dir: false, size: 4 }] })
  })

  it('cuts a page that would not fit in an event', () => {
    const big = page(entries(1000, 200), undefined, 1000, 32 * 1024)
    expect((big.entries as unknown[]).length).toBeLessThan(1000)
    expect(JSON.stringify(big).length).toBeLessThan(33 * 1024)
    expect(big.next_cursor).toBeDefined()
  })
})

describe('visibleChange', () => {
  const readable = (p: string) => p.startsWith('/workspace/')
  it('hides what the watcher may not read, and turns renames across the edge into deletes and creates', () => {
    expect(visibleChange({ type: 'modify', path: '/workspace/a' }, readable)).toEqual([{ type: 'modify', path: '/workspace/a' }])
    expect(visibleChange({ type: 'modify', path: '/task/a' }, readable)).toEqual([])
    expect(visibleChange({ type: 'rename', path: '/workspace/a', to: '/workspace/b' }, readable)).toHaveLength(1)
    expect(visibleChange({ type: 'rename', path: '/workspace/a', to: '/secret/b' }, readable)).toEqual([{ type: 'delete', path: '/workspace/a' }])
    expect(visibleChange({ type: 'rename', path: '/secret/a', to: '/workspace/b' }, readable)).toEqual([{ type: 'create', path: '/workspace/b' }])
    expect(visibleChange({ type: 'rename', path: '/secret/a', to: '/secret/b' }, readable)).toEqual([])
  })
})
