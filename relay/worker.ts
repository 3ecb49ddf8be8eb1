/** Worker entry: NIP-11, WebSocket upgrades for the relay Durable Object, the marketplace API, the web console. */
import { Hono } from 'hono'
import type { RelayEnv } from './do/relay-do'
import { marketplaceApi } from './marketplace/http'
import { edgeApi } from '../fs-bridge/routes'
import { fsBridgeApi } from '../fs-bridge/bridge/http'

export { RelayDurableObject } from './do/relay-do'
export { FileServiceDO } from '../fs-bridge/file-do'
export { EdgeWsFs } from '../fs-bridge/ws-do'
export { FsBridgeDurableObject } from '../fs-bridge/bridge/bridge-do'
export { CodegenDvm, ChatDvm, ImageDvm } from '../dvms'

/** ASSETS: the web console's static files (console/public, built by console/build.mjs). */
const app = new Hono<{ Bindings: RelayEnv & { ASSETS: Fetcher } }>()

const relay = (env: RelayEnv) => env.RELAY.get(env.RELAY.idFromName('relay'))

// NIP-11: the information document MUST carry all three CORS headers, on GET as on preflight.
// Every response carries them. The edge file services take writes authorised in the Authorization
// header, which `*` does not cover (Blossom BUD-01 asks for `Authorization, *`).
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Authorization, *', 'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, DELETE, OPTIONS' }
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
  // Anyone else, a browser most likely, gets the web console. A fetched response's headers are
  // immutable, so it is copied for the CORS middleware to add its headers.
  const page = await c.env.ASSETS.fetch(c.req.raw)
  return new Response(page.body, page)
})

app.route('/', marketplaceApi)
app.route('/', edgeApi)
app.route('/', fsBridgeApi)

export default app
