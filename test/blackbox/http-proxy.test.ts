/** The SDK's HttpFs (/cap/http) routed through the platform's edge proxy, signing with NIP-98. */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSecretKey } from 'nostr-tools/pure'
import { writeFile, readText } from '../../sdk/fs/io'
import { SecretKeySigner } from '../../sdk/nostr/signer'
import { HttpFs } from '../../sdk/services/http'
import { MAIN_VARS, startRelay, type Instance } from './platform'

describe('HttpFs through the edge proxy', () => {
  let platform: Instance
  let origin: Server
  let originUrl: string
  let hits = 0

  beforeAll(async () => {
    origin = createServer((req, res) => {
      hits++
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' })
      res.end(JSON.stringify({ path: req.url, authorization: req.headers.authorization ?? null }))
    })
    await new Promise<void>((listening) => origin.listen(0, '127.0.0.1', listening))
    originUrl = `http://127.0.0.1:${(origin.address() as { port: number }).port}`
    platform = await startRelay({ ...MAIN_VARS, EDGE_ALLOW_HOSTS: '127.0.0.1' })
  })
  afterAll(async () => {
    await platform?.stop()
    origin?.close()
  })

  async function get(http: HttpFs, url: string, headers?: Record<string, string>) {
    await writeFile(http, '/request', JSON.stringify({ method: 'GET', url, headers }))
    return http.result(await readText(http, '/request'))
  }

  it('fetches through the proxy, serves the second GET from its cache, and passes the caller authorization on', async () => {
    const http = new HttpFs({ proxy: platform.httpUrl, signer: new SecretKeySigner(generateSecretKey()) })
    const first = await get(http, `${originUrl}/data`, { Authorization: 'Bearer origin-token' })
    expect(first).toMatchObject({ status: 200, headers: { 'x-cache': 'MISS' } })
    expect(JSON.parse((first as { body: string }).body)).toEqual({ path: '/data', authorization: 'Bearer origin-token' })
    const second = await get(http, `${originUrl}/data`, { Authorization: 'Bearer origin-token' })
    expect(second).toMatchObject({ status: 200, headers: { 'x-cache': 'HIT' } })
    expect(hits).toBe(1)
  })

  it('is refused without a NIP-98 signature, and for a loopback target that is not allowed', async () => {
    const unsigned = await get(new HttpFs({ proxy: platform.httpUrl }), `${originUrl}/other`)
    expect(unsigned).toMatchObject({ status: 401 })
    const signed = new HttpFs({ proxy: platform.httpUrl, signer: new SecretKeySigner(generateSecretKey()) })
    expect(await get(signed, 'http://169.254.169.254/latest/meta-data')).toMatchObject({ status: 403 })
  })
})
