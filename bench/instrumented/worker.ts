/**
 * The relay with storage counters, for bench/scenarios/storage.mjs only: the same Worker and
 * Durable Object (relay/ is not modified), started as `wrangler dev bench/instrumented/worker.ts`
 * with the root wrangler.toml, where the relay object sees a D1 binding that counts statements
 * and round trips, and its SQLite storage counts exec calls. GET /__bench/counts reads them.
 */
import { RelayDurableObject as Relay, type RelayEnv } from '../../relay/do/relay-do'
import app from '../../relay/worker'

export * from '../../relay/worker'

const counts = { d1RoundTrips: 0, d1Statements: 0, doSqlStatements: 0, messages: {} as Record<string, number> }

/** Counts a statement executed on its own (all/first/run/raw), and keeps counting after bind(). */
function countStatement(stmt: D1PreparedStatement): D1PreparedStatement {
  const s = stmt as unknown as Record<string, (...a: unknown[]) => unknown>
  const bind = s.bind.bind(stmt)
  s.bind = (...args) => countStatement(bind(...args) as D1PreparedStatement)
  for (const method of ['all', 'first', 'run', 'raw']) {
    const f = s[method].bind(stmt)
    s[method] = (...args) => {
      counts.d1RoundTrips++
      counts.d1Statements++
      return f(...args)
    }
  }
  return stmt
}

function countingD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'batch') {
        return (statements: D1PreparedStatement[]) => {
          counts.d1RoundTrips++
          counts.d1Statements += statements.length
          return target.batch(statements)
        }
      }
      if (prop === 'prepare') return (query: string) => countStatement(target.prepare(query))
      const value = Reflect.get(target, prop, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

function countSql(ctx: DurableObjectState) {
  const sql = ctx.storage.sql
  const exec = sql.exec.bind(sql)
  ;(sql as { exec: unknown }).exec = (...args: Parameters<SqlStorage['exec']>) => {
    counts.doSqlStatements++
    return exec(...args)
  }
}

export class RelayDurableObject extends Relay {
  constructor(ctx: DurableObjectState, env: RelayEnv) {
    countSql(ctx)
    super(ctx, { ...env, DB: countingD1(env.DB) })
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    const type = typeof message === 'string' ? (message.match(/^\s*\[\s*"(\w+)"/)?.[1] ?? 'other') : 'binary'
    counts.messages[type] = (counts.messages[type] ?? 0) + 1
    return super.webSocketMessage(ws, message)
  }

  benchCounts() {
    return { ...counts, sqlIsShared: this.ctx.storage.sql === this.ctx.storage.sql }
  }
}

export default {
  async fetch(request: Request, env: RelayEnv, ctx: ExecutionContext): Promise<Response> {
    if (new URL(request.url).pathname === '/__bench/counts') {
      const stub = env.RELAY.get(env.RELAY.idFromName('relay')) as unknown as { benchCounts(): Promise<unknown> }
      return Response.json(await stub.benchCounts())
    }
    return app.fetch(request, env, ctx)
  },
}
