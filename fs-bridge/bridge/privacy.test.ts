/** On our relay, requests reach only the bridge and answers only the authenticated caller. */
import { describe, expect, it } from 'vitest'
import { TestSocket } from '../../test/workers/socket'
import { BridgeClient, uniqueNs } from './testing/client'

const fsKinds = { kinds: [25930, 25931, 25932] }
const isFsEvent = (f: unknown[]) => f[0] === 'EVENT' && [25930, 25931, 25932].includes((f[2] as { kind: number }).kind)

describe('privacy', () => {
  it('keeps requests, answers and notifications from every other subscriber', async () => {
    const owner = await BridgeClient.open()
    const ns = uniqueNs('private')
    await owner.createNamespace(ns, [{ path: '/w', service: 'mem' }])
    const watch = await owner.ok('watch', ns, '/w')
    const anonymous = await TestSocket.open()
    await anonymous.req('all', fsKinds)
    const eavesdropper = await BridgeClient.open()
    await eavesdropper.socket.req('all', fsKinds)

    await owner.write(ns, '/w/secret', 'for my eyes')
    expect((await owner.notification(watch.watch_id)).changes.length).toBeGreaterThan(0)
    // Fan-out reaches every socket in the same turn: what the others would get was sent by now.
    await expect(anonymous.next(isFsEvent, 300)).rejects.toThrow()
    await expect(eavesdropper.socket.next(isFsEvent, 300)).rejects.toThrow()
    anonymous.close()
    eavesdropper.close()
    owner.close()
  })
})
