/**
 * The bridge over HTTP, for what is not a file operation (NIP-98 authorization):
 *   GET    /fs                          the information document: the bridge's key, kinds, limits
 *   PUT    /fs/namespaces/:id           {"mounts":[{path,service,mode}]}: creates or replaces, caller = owner
 *   GET    /fs/namespaces/:id           the owner's view of the namespace (from the KV registry)
 *   DELETE /fs/namespaces/:id
 *   GET    /fs/namespaces/:id/audit?after=&limit=   the owner's journal, JSON lines, oldest first
 */
import { Hono, type Context } from 'hono'
import { sha256Hex } from '../../sdk/services/edge/nip98'
import type { WireCode, WireError } from '../../sdk/services/remote/protocol'
import { authorizeHttp, HTTP_AUTH_WINDOW } from '../nip98'
import { auditLine } from './audit/journal'
import type { HttpAuth } from './bridge-do'
import { BRIDGE_NAME, type BridgeEnv } from './env'
import { resolve } from './registry/kv'

export const fsBridgeApi = new Hono<{ Bindings: BridgeEnv }>()

type Ctx = Context<{ Bindings: BridgeEnv }>

const bridge = (env: BridgeEnv) => env.FS_BRIDGE.get(env.FS_BRIDGE.idFromName(BRIDGE_NAME))

const STATUS: Partial<Record<WireCode, 400 | 403 | 404>> = { EINVAL: 400, EACCES: 403, ENOENT: 404 }
const fail = (c: Ctx, error: WireError) => c.json({ error }, STATUS[error.code] ?? 400)

/** The caller, from a NIP-98 header bound to this URL, method and body; a 401 response when absent or wrong. */
async function caller(c: Ctx, body?: Uint8Array): Promise<HttpAuth | Response> {
  const auth = authorizeHttp(c.req.header('Authorization'), {
    url: c.req.url,
    method: c.req.method,
    now: Math.floor(Date.now() / 1000),
    payload: body && body.length > 0 ? await sha256Hex(body) : undefined,
  })
  if (!auth.ok) return c.json({ error: { code: 'EACCES', message: auth.reason } }, 401, { 'WWW-Authenticate': 'Nostr' })
  return { pubkey: auth.event.pubkey, eventId: auth.event.id, until: auth.event.created_at + HTTP_AUTH_WINDOW }
}

fsBridgeApi.get('/fs', async (c) => c.json(await bridge(c.env).info()))

fsBridgeApi.put('/fs/namespaces/:id', async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer())
  const auth = await caller(c, body)
  if (auth instanceof Response) return auth
  let mounts: unknown
  try {
    mounts = (JSON.parse(new TextDecoder().decode(body)) as { mounts?: unknown }).mounts
  } catch {
    return fail(c, { code: 'EINVAL', message: 'body must be JSON: {"mounts":[{"path","service","mode"}]}' })
  }
  const result = await bridge(c.env).putNamespace(auth, c.req.param('id'), mounts)
  return 'error' in result ? fail(c, result.error) : c.json(result.namespace)
})

fsBridgeApi.get('/fs/namespaces/:id', async (c) => {
  const auth = await caller(c)
  if (auth instanceof Response) return auth
  const id = c.req.param('id')
  const truth = () => bridge(c.env).registered(id)
  const found = c.env.NAMESPACES ? await resolve(c.env.NAMESPACES, id, truth) : await truth()
  // Someone else's namespace looks like none at all.
  if (!found || found.owner !== auth.pubkey) return fail(c, { code: 'ENOENT', message: `you have no namespace ${id}` })
  return c.json(found)
})

fsBridgeApi.delete('/fs/namespaces/:id', async (c) => {
  const auth = await caller(c)
  if (auth instanceof Response) return auth
  const error = await bridge(c.env).deleteNamespace(auth, c.req.param('id'))
  return error ? fail(c, error) : c.json({})
})

fsBridgeApi.get('/fs/namespaces/:id/audit', async (c) => {
  const auth = await caller(c)
  if (auth instanceof Response) return auth
  const after = Number(c.req.query('after') ?? 0)
  const limit = Number(c.req.query('limit') ?? 1000)
  if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 1 || limit > 5000) {
    return fail(c, { code: 'EINVAL', message: 'after must be an entry id (>= 0) and limit 1 to 5000' })
  }
  const rows = await bridge(c.env).auditLog(auth.pubkey, c.req.param('id'), after, limit)
  if (!rows) return fail(c, { code: 'ENOENT', message: `you have no namespace ${c.req.param('id')}` })
  return c.body(rows.map((r) => auditLine(r) + '\n').join(''), 200, { 'Content-Type': 'application/x-ndjson' })
})
