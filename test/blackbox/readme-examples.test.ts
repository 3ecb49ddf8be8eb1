/** The README's two SDK examples, run as written: a DVM in twenty lines, and an agent that only uses files. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { generateSecretKey } from 'nostr-tools/pure'
import { SecretKeySigner } from '../../sdk/nostr/signer'
import { runDvm } from '../../sdk/dvm/node'
import { ask } from '../../sdk/examples/agent-job'
import { echo } from '../../sdk/examples/echo-dvm'
import { relayUrl } from './helpers'

describe('README examples', () => {
  let dvm: Awaited<ReturnType<typeof runDvm>>
  beforeAll(async () => {
    dvm = await runDvm(echo, { relays: [relayUrl()], signer: new SecretKeySigner(generateSecretKey()), WebSocket })
  })
  afterAll(() => dvm?.stop())

  it('an agent writes /cap/nostr/request and reads the echo DVM result from jobs/<id>/results', async () => {
    expect(await ask([relayUrl()], 'hello from the files')).toBe('hello from the files')
  })
})
