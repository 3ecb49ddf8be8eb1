/**
 * TaskFs, mounted at /task: the task an agent works on, laid out as OANIX has it. `spec.json` and
 * `meta.json` are fixed; `status` and `result.json` are live state that the host drives through this
 * class and, when /task is mounted read-write, the agent through the files. A malformed write is
 * refused with `io` and changes nothing.
 */
import { FsError } from '../../fs/error'
import { toText } from '../../fs/io'
import { dir, file, FuncFs, jsonFile } from '../func'

export interface TaskSpec {
  id: string
  /** e.g. "regex", "code-review" */
  task_type: string
  description: string
  input?: unknown
}

export interface TaskMeta {
  /** Unix seconds. */
  created_at: number
  tags: string[]
  timeout_secs: number | null
  version: number
}

/** OANIX's status JSON; times are unix seconds. */
export type TaskStatus =
  | { status: 'pending' }
  | { status: 'running'; started_at: number }
  | { status: 'completed'; finished_at: number }
  | { status: 'failed'; finished_at: number; error: string }

const now = () => Math.floor(Date.now() / 1000)

const FIELDS: Record<TaskStatus['status'], string[]> = {
  pending: [],
  running: ['started_at'],
  completed: ['finished_at'],
  failed: ['finished_at', 'error'],
}

/**
 * A status as written to the `status` file. Times left out are taken as now; anything else that is
 * not exactly one of the four shapes is refused.
 */
export function parseTaskStatus(text: string, at = now()): TaskStatus {
  const bad = (why: string) => new FsError('invalid-argument', `invalid status: ${why}`, '/status')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw bad('not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('not a JSON object')
  const fields = value as Record<string, unknown>
  const status = fields.status as TaskStatus['status']
  if (typeof status !== 'string' || !Object.hasOwn(FIELDS, status)) throw bad('"status" must be "pending", "running", "completed" or "failed"')
  const extra = Object.keys(fields).find((key) => key !== 'status' && !FIELDS[status].includes(key))
  if (extra !== undefined) throw bad(`unexpected field "${extra}" for ${status}`)
  const time = (key: string): number => {
    const t = fields[key] ?? at
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t < 0) throw bad(`"${key}" must be unix seconds`)
    return t
  }
  switch (status) {
    case 'pending':
      return { status }
    case 'running':
      return { status, started_at: time('started_at') }
    case 'completed':
      return { status, finished_at: time('finished_at') }
    case 'failed':
      if (typeof fields.error !== 'string' || fields.error === '') throw bad('a failed status needs an "error" message')
      return { status, finished_at: time('finished_at'), error: fields.error }
  }
}

export class TaskFs extends FuncFs {
  private current: TaskStatus = { status: 'pending' }
  /** result.json as written; empty until a result is set. */
  private resultText = ''

  constructor(
    readonly spec: TaskSpec,
    meta: Partial<TaskMeta> = {},
  ) {
    const fullMeta: TaskMeta = { created_at: now(), tags: [], timeout_secs: null, version: 1, ...meta }
    super(
      dir({
        'spec.json': jsonFile(() => spec),
        'meta.json': jsonFile(() => fullMeta),
        status: file(
          () => JSON.stringify(this.current, null, 2),
          (data) => this.setStatus(parseTaskStatus(toText(data))),
        ),
        'result.json': file(
          () => this.resultText,
          (data) => this.setResultText(toText(data)),
        ),
      }),
    )
  }

  get status(): TaskStatus {
    return { ...this.current }
  }

  get finished(): boolean {
    return this.current.status === 'completed' || this.current.status === 'failed'
  }

  setStatus(status: TaskStatus): void {
    this.current = { ...status }
    this.notify({ type: 'modify', path: '/status' })
  }

  start(): void {
    this.setStatus({ status: 'running', started_at: now() })
  }

  complete(): void {
    this.setStatus({ status: 'completed', finished_at: now() })
  }

  fail(error: string): void {
    this.setStatus({ status: 'failed', finished_at: now(), error })
  }

  /** Replaces result.json with `value` as pretty-printed JSON. */
  setResult(value: unknown): void {
    this.setResultText(JSON.stringify(value, null, 2))
  }

  /** result.json parsed; undefined until a result is set. */
  result(): unknown {
    return this.resultText === '' ? undefined : JSON.parse(this.resultText)
  }

  private setResultText(text: string): void {
    try {
      JSON.parse(text)
    } catch {
      throw new FsError('invalid-argument', 'invalid result: result.json must hold JSON', '/result.json')
    }
    this.resultText = text
    this.notify({ type: 'modify', path: '/result.json' })
  }
}
