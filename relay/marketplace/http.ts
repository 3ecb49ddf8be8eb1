/** The marketplace over HTTP, read straight from D1: GET /dvms, /jobs/:id, /stats. */
import { sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { loadConfig } from '../config'
import type { RelayEnv } from '../do/relay-do'
import { isHex64 } from '../protocol/event'
import { D1Runner } from '../store/d1'
import { EventStore } from '../store/event-store'
import { fromRow } from './job-store'
import { isLive } from './registry'
import { dvmActivity, dvms, jobs } from './schema'
import { FEEDBACK_KIND } from './job-kinds'
import { marketplaceStats } from './stats'
import { statsSeries } from './stats-series'
import { events } from '../store/schema'

/** How many of the latest jobs /stats looks at. */
const STATS_WINDOW = 10000

export const marketplaceApi = new Hono<{ Bindings: RelayEnv }>()

marketplaceApi.get('/dvms', async (c) => {
  const kind = c.req.query('kind')
  if (kind !== undefined && !/^\d+$/.test(kind)) return c.json({ error: 'kind must be a number' }, 400)
  const window = loadConfig(c.env).dvmLivenessWindow * 1000
  const rows = await new D1Runner(c.env.DB).all<Record<string, unknown>>(
    sql`SELECT d.*, a.last_seen, a.heartbeat_until FROM ${dvms} d LEFT JOIN ${dvmActivity} a ON a.pubkey = d.pubkey
      ${kind === undefined ? sql`` : sql`WHERE EXISTS (SELECT 1 FROM json_each(d.kinds) WHERE value = ${Number(kind)})`}
      ORDER BY d.announced_at DESC`,
  )
  const now = Date.now()
  return c.json(
    rows.map((r) => {
      const activity = r.last_seen === null ? undefined : { lastSeen: r.last_seen as number, heartbeatUntil: r.heartbeat_until as number | null }
      return {
        pubkey: r.pubkey,
        d: r.d,
        announcement: r.event_id,
        kinds: JSON.parse(r.kinds as string),
        name: r.name,
        about: r.about,
        price: r.price,
        metadata: JSON.parse(r.metadata as string),
        internal: r.internal !== null,
        live: r.internal !== null || isLive(activity, now, window),
        lastSeen: activity?.lastSeen ?? null,
        heartbeatUntil: activity?.heartbeatUntil ?? null,
      }
    }),
  )
})

marketplaceApi.get('/jobs/:id', async (c) => {
  const id = c.req.param('id')
  if (!isHex64(id)) return c.json({ error: 'a job id is 64 lowercase hex characters' }, 400)
  const [row] = await new D1Runner(c.env.DB).all<Record<string, unknown>>(sql`SELECT * FROM ${jobs} WHERE ${jobs.id} = ${id}`)
  if (!row) return c.json({ error: 'no such job' }, 404)
  const job = fromRow(row)
  const answers = await new EventStore(c.env.DB).query({ kinds: [FEEDBACK_KIND, job.kind + 1000], tags: { e: [id] } }, 1000, Math.floor(Date.now() / 1000))
  const events = answers.map((raw) => JSON.parse(raw)).reverse()
  return c.json({
    ...job,
    feedback: events.filter((e) => e.kind === FEEDBACK_KIND),
    results: events.filter((e) => e.kind !== FEEDBACK_KIND),
  })
})

marketplaceApi.get('/stats', async (c) => {
  const rows = await new D1Runner(c.env.DB).all<Record<string, unknown>>(
    sql`SELECT ${jobs.kind} AS kind, ${jobs.status} AS status, ${jobs.provider} AS provider, ${jobs.receivedAt} AS received_at,
      ${jobs.firstFeedbackAt} AS first_feedback_at, ${jobs.resultAt} AS result_at FROM ${jobs} ORDER BY ${jobs.receivedAt} DESC LIMIT ${STATS_WINDOW}`,
  )
  const facts = rows.map((r) => ({
    kind: r.kind as number, status: r.status as never, provider: r.provider as string | null, receivedAt: r.received_at as number,
    firstFeedbackAt: r.first_feedback_at as number | null, resultAt: r.result_at as number | null,
  }))
  return c.json({ ...marketplaceStats(facts), ...statsSeries(facts, Date.now()), relay: await relayFacts(c.env) })
})

/** Open sockets, events stored, and events stored with a created_at in the last minute. */
async function relayFacts(env: RelayEnv) {
  const since = Math.floor(Date.now() / 1000) - 60
  const [[counts], connections] = await Promise.all([
    new D1Runner(env.DB).all<{ stored: number; last_minute: number }>(
      sql`SELECT (SELECT count(*) FROM ${events}) AS stored, (SELECT count(*) FROM ${events} WHERE ${events.createdAt} >= ${since}) AS last_minute`,
    ),
    env.RELAY.get(env.RELAY.idFromName('relay')).connections(),
  ])
  return { connections, eventsStored: counts.stored, eventsLastMinute: counts.last_minute }
}
