import { describe, expect, it } from 'vitest'
import { FsError, type FsErrorCode } from '../fs/error'
import { readText, writeFile } from '../fs/io'
import type { Change } from '../fs/types'
import { MapFs } from '../services/map'
import { MemFs } from '../services/mem'
import { describeFileService } from '../testing/file-service-suite'
import { Namespace } from '.'
import { trustedNamespace, untrustedNamespace } from './profiles'

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: FsError) => e.code) as Promise<FsErrorCode | 'ok'>

describeFileService('Namespace mount', async () => ({
  fs: Namespace.builder().mount('/task', new MapFs({})).mount('/workspace', new MemFs()).build(),
  root: '/workspace',
}))

describe('Namespace', () => {
  const build = () => {
    const task = new MemFs()
    const taskforce = new MemFs()
    const ns = Namespace.builder()
      .mount('/task', task, { mode: 'ro' })
      .mount('/taskforce', taskforce)
      .mount('/cap/nostr', MemFs.from({ '/status': 'ready' }))
      .mount('/cap/http', new MemFs())
      .build()
    return { ns, task, taskforce }
  }

  it('resolves the longest prefix at a slash boundary', async () => {
    const { ns, taskforce } = build()
    await writeFile(ns, '/taskforce/x', 'tf')
    expect(await readText(taskforce, '/x')).toBe('tf')
    expect(ns.resolve('/task/spec.json').mount.path).toBe('/task')
    expect(ns.resolve('/taskforce/x').inner).toBe('/x')
    expect(ns.resolve('/cap/nostr').inner).toBe('/')
  })

  it('lists mount points at the root and between mounts', async () => {
    const { ns } = build()
    expect((await ns.readdir('/')).map((e) => e.name)).toEqual(['cap', 'task', 'taskforce'])
    expect((await ns.readdir('/cap')).map((e) => e.name)).toEqual(['http', 'nostr'])
    expect((await ns.stat('/cap')).kind).toBe('dir')
    expect((await ns.readdir('/cap/nostr')).map((e) => e.name)).toEqual(['status'])
  })

  it('refuses changes on read-only mounts with read-only, and unmounted paths with not-found', async () => {
    const { ns } = build()
    expect(await code(writeFile(ns, '/task/spec.json', '{}'))).toBe('read-only')
    expect(await code(ns.mkdir('/task/d'))).toBe('read-only')
    expect(await code(ns.stat('/nowhere'))).toBe('not-found')
    expect(await code(ns.readdir('/nowhere'))).toBe('not-found')
    expect(await code(writeFile(ns, '/nowhere/f', 'x'))).toBe('not-found')
  })

  it('refuses escapes, cross-mount renames and removing a mount point', async () => {
    const { ns } = build()
    expect(await code(ns.stat('/taskforce/../task'))).toBe('invalid-path')
    expect(await code(ns.stat('/cap/nostr/%2e%2e/../x'))).toBe('invalid-path')
    expect(await code(ns.stat('//cap'))).toBe('invalid-path')
    await writeFile(ns, '/taskforce/f', 'x')
    expect(await code(ns.rename('/taskforce/f', '/cap/http/f'))).toBe('invalid-path')
    expect(await code(ns.remove('/taskforce'))).toBe('permission-denied')
  })

  it('names the namespace path in errors', async () => {
    const { ns } = build()
    const error = await ns.stat('/taskforce/missing').catch((e: FsError) => e)
    expect(error).toBeInstanceOf(FsError)
    expect((error as FsError).path).toBe('/taskforce/missing')
  })

  it('reports watched changes with namespace paths, across mounts when recursive', async () => {
    const { ns } = build()
    const seen: Change[] = []
    const stop = ns.watch('/', (c) => seen.push(c), { recursive: true })
    await writeFile(ns, '/taskforce/a', '1')
    await writeFile(ns, '/cap/http/b', '2')
    stop()
    expect(seen.map((c) => `${c.type} ${c.path}`)).toEqual(['create /taskforce/a', 'modify /taskforce/a', 'create /cap/http/b', 'modify /cap/http/b'])
  })

  it('cannot be changed after build', () => {
    const { ns } = build()
    expect('mount' in ns).toBe(false)
    expect(Object.isFrozen(ns.mounts())).toBe(true)
  })
})

describe('capability profiles', () => {
  const services = () => ({
    task: MemFs.from({ '/spec.json': '{"goal":"x"}' }),
    workspace: new MapFs({ '/src/main.ts': 'base' }),
    nostr: MemFs.from({ '/status': 'ready' }),
    http: new MemFs(),
  })

  it('gives an untrusted agent a read-only task, a copy-on-write workspace and no http', async () => {
    const given = services()
    const ns = untrustedNamespace(given)
    expect(await code(writeFile(ns, '/task/spec.json', '{}'))).toBe('read-only')
    await writeFile(ns, '/workspace/src/main.ts', 'mine')
    expect(await readText(ns, '/workspace/src/main.ts')).toBe('mine')
    expect(await readText(given.workspace, '/src/main.ts')).toBe('base')
    await writeFile(ns, '/logs/stdout.log', 'ok')
    expect(await code(ns.stat('/cap/http'))).toBe('not-found')
    expect(await readText(ns, '/cap/nostr/status')).toBe('ready')
    expect(await code(writeFile(ns, '/cap/nostr/status', 'x'))).toBe('read-only')
  })

  it('gives a trusted agent everything read-write', async () => {
    const ns = trustedNamespace({ ...services(), workspace: new MemFs() })
    await writeFile(ns, '/task/status', '{"status":"running"}')
    await writeFile(ns, '/cap/http/request', '{}')
    await writeFile(ns, '/cap/nostr/x', 'y')
    expect((await ns.readdir('/')).map((e) => e.name)).toEqual(['cap', 'logs', 'task', 'tmp', 'workspace'])
  })
})
