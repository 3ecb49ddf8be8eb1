/**
 * A federated namespace whose remote mount cannot be reached: the failure stays on its paths.
 * The remote side at work (a bridge over a relay) is in test/blackbox/remote-fs.test.ts.
 */
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { FsError } from '../fs/error'
import { readJson, readText, writeFile } from '../fs/io'
import { SecretKeySigner } from '../nostr/signer'
import { MemFs } from '../services/mem'
import { NostrFs } from '../services/nostr'
import type { RemoteWatchOptions } from '../services/remote'
import { Namespace } from '.'
import { FederatedNamespace } from './federated'

const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (FsError.is(e) ? e.code : String(e)))
const bridge = getPublicKey(generateSecretKey())
const opened: FederatedNamespace[] = []
afterEach(async () => {
  for (const ns of opened.splice(0)) await ns.close()
})

/** `relays`: where the remote mount's requests would go; a closed port refuses the connection. */
async function federated(relays: string[]) {
  const ns = await FederatedNamespace.federation({ signer: new SecretKeySigner(generateSecretKey()), relays, WebSocket, timeout: 5_000 })
    .mount('/tmp', new MemFs())
    .mount('/task', MemFs.from({ '/spec.json': '{"goal":"x"}' }), { mode: 'ro' })
    .remote('/team', { bridge, ns: 'team' })
    // An edge file API nobody serves (a closed port): down from the start.
    .edge('/edge', 'http://127.0.0.1:9/files/x')
    .build()
  opened.push(ns)
  return ns
}

describe('FederatedNamespace', () => {
  it('is a Namespace: routes by prefix, keeps read-only mounts read-only', async () => {
    const ns = await federated([])
    expect(ns).toBeInstanceOf(Namespace)
    expect(ns.mounts().map((m) => m.path).sort()).toEqual(['/edge', '/task', '/team', '/tmp'])
    await writeFile(ns, '/tmp/a', 'local')
    expect(await readText(ns, '/tmp/a')).toBe('local')
    expect(await code(writeFile(ns, '/task/spec.json', 'x'))).toBe('read-only')
  })

  it('keeps mounts that cannot be reached to their own paths, as unavailable', async () => {
    const ns = await federated([])
    expect(await code(ns.stat('/team'))).toBe('unavailable')
    expect(await code(readText(ns, '/team/workspace/a'))).toBe('unavailable')
    expect(await code(writeFile(ns, '/team/workspace/a', 'x'))).toBe('unavailable')
    expect(await code(ns.readdir('/edge'))).toBe('unavailable')
    expect(await code(writeFile(ns, '/edge/a', 'x'))).toBe('unavailable')
    expect((await ns.readdir('/')).map((e) => e.name)).toEqual(['edge', 'task', 'team', 'tmp'])
    expect(await readText(ns, '/task/spec.json')).toBe('{"goal":"x"}')
  })

  it('says the relay refused the connection, rather than waiting for the timeout', async () => {
    const ns = await federated(['ws://127.0.0.1:9'])
    const error = await ns.readdir('/team/workspace').catch((e: unknown) => e)
    expect(FsError.is(error, 'unavailable')).toBe(true)
    expect((error as FsError).detail).toMatch(/^no relay connection \(ws:\/\/127\.0\.0\.1:9\/: /)
    expect((error as FsError).path).toBe('/team/workspace')
    await writeFile(ns, '/tmp/still', 'here')
    expect(await readText(ns, '/tmp/still')).toBe('here')
  })

  it('reports a remote watch that cannot start to onError, ended', async () => {
    const ns = await federated([])
    const errors: Array<[string, boolean]> = []
    const options: RemoteWatchOptions = { onError: (e, ended) => errors.push([e.code, ended]) }
    const stop = ns.watch('/team/workspace', () => {}, options)
    await expect.poll(() => errors).toEqual([['unavailable', true]])
    stop()
  })

  it('sends through a NostrFs it is given, and leaves it open on close', async () => {
    const signer = new SecretKeySigner(generateSecretKey())
    const nostr = await NostrFs.create({ signer, relays: [] })
    const ns = await FederatedNamespace.federation({ signer, nostr }).remote('/team', { bridge, ns: 'team' }).mount('/nostr', nostr).build()
    expect(await code(ns.stat('/team/x'))).toBe('unavailable')
    await ns.close()
    expect(await readJson(ns, '/nostr/status')).toMatchObject({ status: 'ready' })
    nostr.close()
  })

  it('closes the Nostr transport it made', async () => {
    const ns = await federated([])
    await ns.close()
    expect(await code(ns.stat('/team/x'))).toBe('unavailable')
  })
})
