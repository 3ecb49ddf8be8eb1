/** NIP-11 relay information document, CORS, and the single WebSocket endpoint (NIP-01). */
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { fetchInfo, relayHttpUrl, relayUrl, useClients } from './helpers'
import { MAIN_LIMITS } from './platform'

const connect = useClients()
const getInfo = () => fetch(relayHttpUrl(), { headers: { Accept: 'application/nostr+json', Origin: 'https://client.example' } })

describe('NIP-11 information document', () => {
  it('is served as application/nostr+json for Accept: application/nostr+json', async () => {
    const res = await getInfo()
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/nostr\+json/)
    const info = (await res.json()) as Record<string, any>
    expect(info.supported_nips).toEqual(expect.arrayContaining([1, 9, 11, 40, 42, 45, 70, 89, 90]))
    expect(info.software).toEqual(expect.any(String))
    expect(info.software.length).toBeGreaterThan(0)
    expect(info.version).toEqual(expect.any(String))
    expect(info.self).toMatch(/^[0-9a-f]{64}$/)
    expect(info.pubkey).toMatch(/^[0-9a-f]{64}$/)
  })

  it('advertises the limits the instance was started with', async () => {
    const { limitation } = await fetchInfo()
    expect(limitation).toMatchObject({
      max_message_length: MAIN_LIMITS.MAX_MESSAGE_LENGTH,
      max_subscriptions: MAIN_LIMITS.MAX_SUBSCRIPTIONS,
      max_filters: MAIN_LIMITS.MAX_FILTERS,
      max_limit: MAIN_LIMITS.MAX_LIMIT,
      max_subid_length: 64,
      max_event_tags: MAIN_LIMITS.MAX_EVENT_TAGS,
      max_content_length: MAIN_LIMITS.MAX_CONTENT_LENGTH,
      auth_required: false,
      created_at_lower_limit: MAIN_LIMITS.CREATED_AT_LOWER_LIMIT,
      created_at_upper_limit: MAIN_LIMITS.CREATED_AT_UPPER_LIMIT,
    })
  })

  it('is not served without the nostr+json Accept header', async () => {
    const res = await fetch(relayHttpUrl())
    expect(res.headers.get('content-type') ?? '').not.toMatch(/nostr\+json/)
    expect(await res.text()).not.toContain('supported_nips')
  })
})

describe('CORS', () => {
  it('GET carries Access-Control-Allow-Origin', async () => {
    const res = await getInfo()
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
  })

  // NIP-11: "Relays MUST accept CORS requests by sending Access-Control-Allow-Origin,
  // Access-Control-Allow-Headers, and Access-Control-Allow-Methods headers."
  it('GET carries Access-Control-Allow-Headers and Access-Control-Allow-Methods (NIP-11 MUST)', async () => {
    const res = await getInfo()
    expect(res.headers.get('access-control-allow-headers')).toBeTruthy()
    expect(res.headers.get('access-control-allow-methods')).toMatch(/GET|\*/)
  })

  it('answers an OPTIONS preflight with all three CORS headers', async () => {
    const res = await fetch(relayHttpUrl(), {
      method: 'OPTIONS',
      headers: { Origin: 'https://client.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'accept' },
    })
    expect(res.status).toBeGreaterThanOrEqual(200)
    expect(res.status).toBeLessThan(300)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')).toMatch(/GET|\*/)
    expect(res.headers.get('access-control-allow-headers')).toMatch(/accept|\*/i)
  })
})

describe('WebSocket endpoint', () => {
  it('upgrades at / and greets with an AUTH challenge', async () => {
    const c = await connect()
    expect(c.frames[0]).toEqual(['AUTH', expect.any(String)])
  })

  // RFC 6455 5.5.1: an endpoint receiving a Close frame MUST send a Close frame in response.
  it('answers a client Close frame with a Close frame (clean closure, not 1006)', async () => {
    const c = await connect()
    await c.close()
    expect(c.closed?.code).toBe(1000)
  })

  it.each(['/other', '/relay', '/v1/ws'])('does not upgrade at %s', async (path) => {
    const ws = new WebSocket(relayUrl() + path)
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'))
      ws.once('unexpected-response', (_req, res) => resolve(`http ${res.statusCode}`))
      ws.once('error', (err) => resolve(`error ${err.message}`))
    })
    ws.terminate()
    expect(outcome).not.toBe('open')
    expect(outcome).toMatch(/^http 4\d\d$/)
  })
})
