/**
 * The platform stopped and started again on the same state (every Durable Object evicted, the
 * relay's memory gone): namespaces, grants, files, stored answers, watches and the journal stay.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { b64, FsClient, uniqueNs } from './fs-bridge-client'
import { freePort } from './platform'

type Platform = { url: string; httpUrl: string; stop: () => Promise<void> }
const script = new URL('../../scripts/local-platform.mjs', import.meta.url).href
const start = async (port: number, persistTo: string): Promise<Platform> =>
  ((await import(script)) as { startPlatform: (o: object) => Promise<Platform> }).startPlatform({ port, persistTo })

let dir: string | undefined
let running: Platform | undefined
afterAll(async () => {
  await running?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
}, 30_000)

it('keeps everything durable across a restart', async () => {
  dir = await mkdtemp(join(tmpdir(), 'fs-bridge-restart-'))
  let port = await freePort()
  while (port === 8787) port = await freePort()
  running = await start(port, dir)
  const ownerSk = crypto.getRandomValues(new Uint8Array(32))
  const readerSk = crypto.getRandomValues(new Uint8Array(32))
  let owner = await FsClient.connect(running.url, running.httpUrl, ownerSk)
  let reader = await FsClient.connect(running.url, running.httpUrl, readerSk)
  const bridge = owner.bridge
  const ns = uniqueNs('restart')
  await owner.createNamespace(ns, [{ path: '/w', service: 'files' }])
  await reader.code('stat', ns, '/w')
  await owner.grant('r', reader.pubkey, ns, [['/w', 'r']])
  await owner.write(ns, '/w/kept.txt', 'kept')
  const { watch_id } = await owner.ok('watch', ns, '/w')
  const append = owner.requestEvent({ op: 'write', ns, path: '/w/kept.txt', args: { data_b64: b64('+'), append: true } })
  await owner.relay.publish(append)
  const answered = (await owner.answer(append.id)).body
  const lastSeq = (await owner.notification(watch_id)).seq
  await owner.close()
  await reader.close()
  await running.stop()

  running = await start(port, dir)
  owner = await FsClient.connect(running.url, running.httpUrl, ownerSk)
  reader = await FsClient.connect(running.url, running.httpUrl, readerSk)
  expect(owner.bridge).toBe(bridge)
  expect(await reader.readText(ns, '/w/kept.txt')).toBe('kept+')
  // The relay forgot the id; the bridge did not: the stored answer again, no second append.
  expect((await owner.relay.publish(append))[0]).toBe(true)
  expect((await owner.answer(append.id)).body).toEqual(answered)
  expect(await owner.readText(ns, '/w/kept.txt')).toBe('kept+')
  await owner.write(ns, '/w/after.txt', 'after')
  expect((await owner.notification(watch_id)).seq).toBe(lastSeq + 2)
  const journal = (await owner.readText(ns, '/logs/audit.jsonl')).trim().split('\n').map((l) => JSON.parse(l))
  expect(journal.filter((e) => e.request === append.id).map((e) => e.op)).toEqual(['write', 'replay'])
  expect(journal.some((e) => e.pubkey === reader.pubkey && e.code === 'EACCES')).toBe(true)
  await owner.close()
  await reader.close()
}, 180_000)
