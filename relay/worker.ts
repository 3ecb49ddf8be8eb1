/** Worker entry: NIP-11, WebSocket upgrades for the relay Durable Object, the marketplace API. */
import { Hono } from 'hono'
import { cors } from 'hono/cors'
import type { RelayEnv } from './do/relay-do'
import { marketplaceApi } from './marketplace/http'

export { RelayDurableObject } from './do/relay-do'

const app = new Hono<{ Bindings: RelayEnv }>()

const relay = (env: RelayEnv) => env.RELAY.get(env.RELAY.idFromName('relay'))

// NIP-11 requires CORS on the information document; the HTTP API is public and read-only.
app.use('*', cors({ origin: '*', allowHeaders: ['*'], allowMethods: ['GET', 'HEAD', 'OPTIONS'] }))

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
