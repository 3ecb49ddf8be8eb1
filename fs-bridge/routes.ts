/**
 * The edge file services on the Worker, one hono sub-app mounted at `/`:
 *   /files/<namespace>/…   a namespace's FileServiceDO (edge file API), for its owner (NIP-98)
 *   /cap/ws/…              the caller's own /cap/ws object (edge file API, NIP-98)
 *   /proxy/<url>           the HTTP proxy for HttpFs (NIP-98 unless PROXY_AUTH=none)
 *   /blobs/…               the blob store (Blossom)
 * NIP-98 is checked here; the objects then only see requests this Worker vouches for, with the
 * auth event's id so that they refuse a replay.
 */
import { Hono, type Context } from 'hono'
import { sha256Hex } from '../sdk/services/edge/nip98'
import { blobRoutes } from './blobs/routes'
import type { EdgeEnv } from './env'
import { AUTH_EVENT_HEADER, NAMESPACE_ID } from './file-do'
import { authorizeHttp, HTTP_AUTH_WINDOW, type AuthResult } from './nip98'
import { proxy, proxyError } from './proxy'

export const edgeApi = new Hono<{ Bindings: EdgeEnv }>()

type Ctx = Context<{ Bindings: EdgeEnv }>

/** Request headers an object's file API reads; everything else stays at the Worker. */
const FORWARDED = ['Range', 'If-Match', 'Content-Type']

// Browsers may read the API's headers (ETag, Content-Range, X-Cache, X-Reason…).
for (const path of ['/files/*', '/cap/ws/*', '/proxy/*', '/blobs/*']) {
  edgeApi.use(path, async (c, next) => {
    await next()
    c.res.headers.set('Access-Control-Expose-Headers', '*')
  })
}

function refuse(status: number, message: string): Response {
  return Response.json({ error: { code: 'permission-denied', message } }, { status, headers: { 'WWW-Authenticate': 'Nostr' } })
}

async function authorize(c: Ctx, body: Uint8Array | undefined): Promise<AuthResult> {
  return authorizeHttp(c.req.header('Authorization'), {
    url: c.req.url,
    method: c.req.method,
    now: Math.floor(Date.now() / 1000),
    payload: body && body.length > 0 ? await sha256Hex(body) : undefined,
  })
}

/** Whether `pubkey` owns `namespace`: namespaces reachable over HTTP are `<pubkey>` or `<pubkey>:<name>`. */
export function ownsNamespace(pubkey: string, namespace: string): boolean {
  return namespace === pubkey || namespace.startsWith(pubkey + ':')
}

/** Checks NIP-98, then hands the request to the object `stub` with the auth event's id. */
async function forward(c: Ctx, stub: (pubkey: string) => DurableObjectStub | Response): Promise<Response> {
  const body = ['GET', 'HEAD'].includes(c.req.method) ? undefined : new Uint8Array(await c.req.arrayBuffer())
  const auth = await authorize(c, body)
  if (!auth.ok) return refuse(401, auth.reason)
  const target = stub(auth.event.pubkey)
  if (target instanceof Response) return target
  const headers = new Headers({ [AUTH_EVENT_HEADER]: `${auth.event.id} ${auth.event.created_at + HTTP_AUTH_WINDOW}` })
  for (const name of FORWARDED) {
    const value = c.req.header(name)
    if (value !== undefined) headers.set(name, value)
  }
  const res = await target.fetch(new Request(c.req.url, { method: c.req.method, headers, body: body as BodyInit | undefined }))
  // A fetched response's headers are immutable; the CORS middleware adds to a copy.
  return new Response(res.body, res)
}

edgeApi.all('/files/:namespace/*', (c) =>
  forward(c, (pubkey) => {
    const namespace = c.req.param('namespace')
    if (!NAMESPACE_ID.test(namespace)) return refuse(400, 'namespace ids are 1-128 of A-Z a-z 0-9 . _ : -')
    if (!ownsNamespace(pubkey, namespace)) return refuse(403, `namespace ${namespace} is not yours`)
    return c.env.FILES.get(c.env.FILES.idFromName(namespace))
  }),
)

edgeApi.all('/cap/ws/*', (c) => forward(c, (pubkey) => c.env.EDGE_WS.get(c.env.EDGE_WS.idFromName(pubkey))))

edgeApi.all('/proxy/*', async (c) => {
  if (c.env.PROXY_AUTH !== 'none') {
    // The body is the origin's business: the auth event covers URL and method only.
    const auth = authorizeHttp(c.req.header('Authorization'), { url: c.req.url, method: c.req.method, now: Math.floor(Date.now() / 1000) })
    if (!auth.ok) return proxyError(401, 'permission-denied', auth.reason)
  }
  return proxy(c.req.raw, c.env)
})

edgeApi.route('/', blobRoutes)
