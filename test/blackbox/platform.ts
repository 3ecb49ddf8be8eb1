/**
 * Starting relay instances under `wrangler dev` for the black-box suite. Free of vitest imports,
 * so the global setup can use it as well as test files that need an instance of their own.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Instance {
  /** ws:// URL of the relay. */
  url: string
  /** http:// URL of the same endpoint. */
  httpUrl: string
  stop: () => Promise<void>
}

type StartPlatform = (options: {
  port: number
  persistTo: string
  vars: Record<string, string>
  stdio?: 'inherit' | 'pipe'
}) => Promise<Instance>

/** Limits of the shared instance: not throttled, small enough that the limit tests stay cheap. */
export const MAIN_VARS = {
  EVENTS_PER_SECOND: '100000',
  EVENT_BURST: '100000',
  EVENTS_PER_SECOND_PER_IP: '100000',
  REQS_PER_SECOND: '100000',
  MAX_MESSAGE_LENGTH: '65536',
  MAX_SUBSCRIPTIONS: '20',
  MAX_FILTERS: '5',
  MAX_LIMIT: '1000',
  MAX_EVENT_TAGS: '100',
  MAX_CONTENT_LENGTH: '2000',
  CREATED_AT_LOWER_LIMIT: '31536000',
  CREATED_AT_UPPER_LIMIT: '600',
} as const

export const MAIN_LIMITS = Object.fromEntries(Object.entries(MAIN_VARS).map(([k, v]) => [k, Number(v)])) as Record<
  keyof typeof MAIN_VARS,
  number
>

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * A relay on a free port (never 8787) with a fresh, temporary D1/DO state directory. `vars` may
 * be a function of the port, for vars naming the instance's own URL (e.g. PUBLIC_URL).
 */
export async function startRelay(vars: Record<string, string> | ((port: number) => Record<string, string>)): Promise<Instance> {
  const script = new URL('../../scripts/local-platform.mjs', import.meta.url).href
  const { startPlatform } = (await import(script)) as { startPlatform: StartPlatform }
  const persistTo = await mkdtemp(join(tmpdir(), 'relay-blackbox-'))
  let port = await freePort()
  while (port === 8787) port = await freePort()
  try {
    const instance = await startPlatform({ port, persistTo, vars: typeof vars === 'function' ? vars(port) : vars })
    return {
      ...instance,
      stop: async () => {
        await instance.stop()
        await rm(persistTo, { recursive: true, force: true })
      },
    }
  } catch (err) {
    await rm(persistTo, { recursive: true, force: true })
    throw err
  }
}
