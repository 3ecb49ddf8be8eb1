/**
 * The seed's two agent namespaces built from nothing but edge services: /task from KV and a
 * FileServiceDO, /workspace and /logs on R2, /tmp in a FileServiceDO, /cap/http through the
 * Worker's proxy, /cap/ws in the agent's EdgeWsFs object.
 */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, inject, it } from 'vitest'
import { FsError } from '../sdk/fs/error'
import { appendFile, readJson, readText, writeFile } from '../sdk/fs/io'
import { trustedNamespace, untrustedNamespace, type AgentServices } from '../sdk/namespace/profiles'
import { HttpFs } from '../sdk/services/http'
import { EdgeLogsFs } from './edge-logs'
import { EdgeTaskFs } from './edge-task'
import { fileServiceFs } from './file-do'
import { R2WorkspaceFs } from './r2-workspace'
import { newSigner, ORIGIN } from './testing/auth'
import { edgeWsFs } from './ws-do'

const origin = inject('edgeOrigin')

async function edgeServices(): Promise<AgentServices> {
  const id = crypto.randomUUID()
  const agent = newSigner()
  const base = new R2WorkspaceFs(env.WORKSPACE, `profiles/${id}/workspace`)
  await base.mkdir('/src')
  await writeFile(base, '/src/main.ts', 'export const base = 1\n')
  return {
    task: await EdgeTaskFs.create(env.TASKS, fileServiceFs(env.FILES, `task:${id}`), { id, task_type: 'edit', description: 'profiles' }),
    workspace: base,
    logs: new EdgeLogsFs(env.WORKSPACE, `profiles/${id}/logs`),
    tmp: fileServiceFs(env.FILES, `tmp:${id}`),
    http: new HttpFs({ proxy: ORIGIN, signer: agent, fetch: (url, init) => SELF.fetch(url, init) }),
    ws: edgeWsFs(env.EDGE_WS, agent.pubkey),
  }
}

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (FsError.is(e) ? e.code : String(e)))

describe('agent namespaces from edge services', () => {
  it('builds the untrusted profile: read-only task, copy-on-write workspace over R2, logs on R2, no capabilities', async () => {
    const services = await edgeServices()
    const ns = untrustedNamespace(services)
    expect(await readJson(ns, '/task/status')).toEqual({ status: 'pending' })
    expect(await code(writeFile(ns, '/task/status', '{"status":"running"}'))).toBe('read-only')
    await writeFile(ns, '/workspace/src/main.ts', 'export const mine = 2\n')
    expect(await readText(ns, '/workspace/src/main.ts')).toBe('export const mine = 2\n')
    expect(await readText(services.workspace, '/src/main.ts')).toBe('export const base = 1\n')
    await appendFile(ns, '/logs/stdout.log', 'hello\n')
    expect(await readText(services.logs!, '/stdout.log')).toBe('hello\n')
    expect((await ns.readdir('/')).map((e) => e.name)).toEqual(['logs', 'task', 'tmp', 'workspace'])
    expect(await code(ns.stat('/cap/http'))).toBe('not-found')
  })

  it('builds the trusted profile: everything read-write, http through the proxy, ws in the agent object', async () => {
    const services = await edgeServices()
    const ns = trustedNamespace(services)
    await writeFile(ns, '/task/status', '{"status":"running","started_at":1}')
    expect(await readJson(services.task, '/status')).toEqual({ status: 'running', started_at: 1 })
    await writeFile(ns, '/workspace/src/main.ts', 'changed\n')
    expect(await readText(services.workspace, '/src/main.ts')).toBe('changed\n')
    await writeFile(ns, '/tmp/scratch', 'x')
    expect(await readText(ns, '/tmp/scratch')).toBe('x')
    await writeFile(ns, '/cap/http/request', JSON.stringify({ method: 'GET', url: `${origin}/hello` }))
    const id = await readText(ns, '/cap/http/request')
    expect(await (services.http as HttpFs).result(id)).toMatchObject({ status: 200 })
    expect(await readJson(ns, '/cap/ws/status')).toMatchObject({ max_connections: expect.any(Number) })
    expect((await ns.readdir('/cap')).map((e) => e.name)).toEqual(['http', 'ws'])
  })
})
