/**
 * TaskFs at the edge, /task as OANIX lays it out (spec.json, meta.json, status, result.json; see
 * sdk/services/task). The task's files live in a Durable Object (a FileServiceDO namespace) and
 * every write goes there; spec.json and meta.json, fixed once the task exists, are also kept in KV
 * so the agent's most frequent reads are served at the edge without a trip to the object.
 */
import { FsError } from '../../sdk/fs/error'
import { readText, toText, writeFile } from '../../sdk/fs/io'
import type { FileService } from '../../sdk/fs/types'
import { dir, file, FuncFs } from '../../sdk/services/func'
import { parseTaskStatus, type TaskMeta, type TaskSpec } from '../../sdk/services/task'
import { fileServiceFs, type FileServiceDO } from '../file-do'

const FIXED = ['spec.json', 'meta.json'] as const
type Fixed = (typeof FIXED)[number]

/** KV keys of a task's fixed files. */
export const taskKey = (id: string, name: Fixed) => `task/${id}/${name}`

/** A file's text, or '' when it does not exist yet. */
async function textOrEmpty(fs: FileService, path: string): Promise<string> {
  return readText(fs, path).catch((error) => {
    if (FsError.is(error, 'not-found')) return ''
    throw error
  })
}

export class EdgeTaskFs extends FuncFs {
  /**
   * `store` holds the task's files (a FileServiceDO namespace, see `edgeTaskFs`); `kv` caches the
   * fixed ones under `task/<id>/`.
   */
  constructor(
    private readonly kv: KVNamespace,
    private readonly store: FileService,
    readonly id: string,
  ) {
    super(
      dir({
        'spec.json': file(() => this.fixed('spec.json')),
        'meta.json': file(() => this.fixed('meta.json')),
        status: file(
          () => textOrEmpty(store, '/status'),
          (data) => writeFile(store, '/status', JSON.stringify(parseTaskStatus(toText(data)), null, 2)),
        ),
        'result.json': file(
          () => textOrEmpty(store, '/result.json'),
          (data) => {
            try {
              JSON.parse(toText(data))
            } catch {
              throw new FsError('invalid-argument', 'invalid result: result.json must hold JSON', '/result.json')
            }
            return writeFile(store, '/result.json', data)
          },
        ),
      }),
    )
  }

  /** Creates the task's files, pending, and puts the fixed ones in KV. */
  static async create(kv: KVNamespace, store: FileService, spec: TaskSpec, meta: Partial<TaskMeta> = {}): Promise<EdgeTaskFs> {
    const full: TaskMeta = { created_at: Math.floor(Date.now() / 1000), tags: [], timeout_secs: null, version: 1, ...meta }
    const texts: Record<Fixed, string> = { 'spec.json': JSON.stringify(spec, null, 2), 'meta.json': JSON.stringify(full, null, 2) }
    for (const name of FIXED) await writeFile(store, `/${name}`, texts[name])
    await writeFile(store, '/status', JSON.stringify({ status: 'pending' }, null, 2))
    for (const name of FIXED) await kv.put(taskKey(spec.id, name), texts[name])
    return new EdgeTaskFs(kv, store, spec.id)
  }

  /** From KV when it has it; else from the object, and KV learns it for next time. */
  private async fixed(name: Fixed): Promise<string> {
    const cached = await this.kv.get(taskKey(this.id, name), { cacheTtl: 300 })
    if (cached !== null) return cached
    const text = await readText(this.store, `/${name}`).catch((error) => {
      if (FsError.is(error, 'not-found')) throw new FsError('not-found', `task ${this.id} does not exist`, `/${name}`)
      throw error
    })
    await this.kv.put(taskKey(this.id, name), text)
    return text
  }
}

/** Task `id`'s /task over the platform's bindings: its files in the FileServiceDO namespace `task:<id>`. */
export function edgeTaskFs(bindings: { TASKS: KVNamespace; FILES: DurableObjectNamespace<FileServiceDO> }, id: string): EdgeTaskFs {
  return new EdgeTaskFs(bindings.TASKS, fileServiceFs(bindings.FILES, `task:${id}`), id)
}
