/**
 * Which services a mount may name, and building a namespace from its record. A spec is `type`
 * or `type:name`; persistent ones live under the owner's pubkey, as the Worker's own routes name
 * them, so an owner reaches the same storage over HTTP and nobody mounts someone else's:
 *   mem              a tree in the bridge's memory, emptied when the bridge restarts (like /tmp)
 *   files[:name]     a FileServiceDO tree: `<owner>:<namespace id>`, or `<owner>:<name>`
 *   workspace[:name] an R2 workspace under `workspaces/<owner>/<namespace id or name>`
 *   logs             LogsFs (stdout.log, stderr.log, events.jsonl) in the bridge's memory
 *   http             HttpFs, for /cap/http: requests go out from the bridge to public hosts only
 *   ws               the owner's /cap/ws object (EdgeWsFs), the one /cap/ws/ reaches over HTTP
 * Services that cannot watch are wrapped so that changes made through the bridge are heard.
 */
import type { FileService } from '../../sdk/fs/types'
import { Namespace } from '../../sdk/namespace'
import { HttpFs } from '../../sdk/services/http'
import { LogsFs } from '../../sdk/services/logs'
import { MemFs } from '../../sdk/services/mem'
import { fileServiceFs } from '../file-do'
import { R2WorkspaceFs } from '../r2-workspace'
import { allowList, checkTarget } from '../target'
import { edgeWsFs } from '../ws-do'
import type { BridgeEnv } from './env'
import { NotifyingFs } from './notifying-fs'
import { AUDIT_PATH } from './protocol/limits'
import type { MountSpec, NamespaceRecord } from './registry/record'

interface Factory {
  /** Whether the name after `type:` is allowed (undefined: none given). */
  named: 'never' | 'optional'
  make(name: string | undefined, record: NamespaceRecord, env: BridgeEnv): FileService
}

const NAME = /^[A-Za-z0-9._-]{1,63}$/

function binding<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`no ${name} binding`)
  return value
}

/** fetch for /cap/http: public http(s) targets only, redirects handed back rather than followed. */
function publicFetch(env: BridgeEnv) {
  return (url: string, init: RequestInit) => {
    const target = checkTarget(url, ['http:', 'https:'], allowList(env.EDGE_ALLOW_HOSTS))
    if (!target.ok) return Promise.reject(new Error(`refused target: ${target.reason}`))
    return fetch(target.url, { ...init, redirect: 'manual' })
  }
}

const FACTORIES: Record<string, Factory> = {
  mem: { named: 'never', make: () => new MemFs() },
  files: { named: 'optional', make: (name, r, env) => fileServiceFs(binding(env.FILES, 'FILES'), `${r.owner}:${name ?? r.id}`) },
  workspace: { named: 'optional', make: (name, r, env) => new R2WorkspaceFs(binding(env.WORKSPACE, 'WORKSPACE'), `workspaces/${r.owner}/${name ?? r.id}`) },
  logs: { named: 'never', make: () => new LogsFs() },
  http: { named: 'never', make: (_, __, env) => new HttpFs({ fetch: publicFetch(env) }) },
  ws: { named: 'never', make: (_, r, env) => edgeWsFs(binding(env.EDGE_WS, 'EDGE_WS'), r.owner) },
}

export const SERVICE_TYPES = Object.keys(FACTORIES)

function split(spec: string): [string, string | undefined] {
  const cut = spec.indexOf(':')
  return cut < 0 ? [spec, undefined] : [spec.slice(0, cut), spec.slice(cut + 1)]
}

export function knownService(spec: string): boolean {
  const [type, name] = split(spec)
  if (!Object.hasOwn(FACTORIES, type)) return false
  return name === undefined || (FACTORIES[type].named === 'optional' && NAME.test(name))
}

function serviceFor(mount: MountSpec, record: NamespaceRecord, env: BridgeEnv): FileService {
  const [type, name] = split(mount.service)
  return NotifyingFs.wrap(FACTORIES[type].make(name, record, env))
}

/** The namespace a record describes, with the journal file mounted read-only at /logs/audit.jsonl. */
export function buildNamespace(record: NamespaceRecord, env: BridgeEnv, journal: FileService): Namespace {
  const builder = Namespace.builder()
  for (const m of record.mounts) builder.mount(m.path, serviceFor(m, record, env), { mode: m.mode })
  return builder.mount(AUDIT_PATH, journal, { mode: 'ro' }).build()
}
