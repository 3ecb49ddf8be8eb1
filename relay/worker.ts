/** Worker entry: NIP-11, WebSocket upgrades for the relay Durable Object, the marketplace API. */
import { Hono } from 'hono'
import type { RelayEnv } from './do/relay-do'
import { marketplaceApi } from './marketplace/http'

export { RelayDurableObject } from './do/relay-do'

const app = new Hono<{ Bindings: RelayEnv }>()

const relay = (env: RelayEnv) => env.RELAY.get(env.RELAY.idFromName('relay'))

// NIP-11: the information document MUST carry all three CORS headers, on GET as on preflight.
// The HTTP API is public and read-only, so every response carries them.
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS' }
app.use('*', async (c, next) => {
  if (c.req.method === 'OPTIONS') return c.body(null, 204, CORS)
  await next()
  if (c.res.status === 101) return
  for (const [k, v] of Object.entries(CORS)) c.res.headers.set(k, v)
})

// NIP-01: one endpoint; other paths do not reach the relay.
app.get('/', async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() === 'websocket') return relay(c.env).fetch(c.req.raw)
  if (c.req.header('Accept')?.includes('application/nostr+json')) {
    return c.body(JSON.stringify(await relay(c.env).info()), 200, { 'Content-Type': 'application/nostr+json' })
  }
  return c.text('This is a Nostr relay. Connect with a Nostr client over WebSocket.\n')
})

app.route('/', marketplaceApi)

export default app
