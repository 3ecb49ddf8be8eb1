import { describe, expect, it } from 'vitest'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { SecretKeySigner } from '../nostr/signer'
import { decryptRequest, encryptTo, readContent } from './encryption'

const customer = new SecretKeySigner(generateSecretKey())
const dvm = new SecretKeySigner(generateSecretKey())
const hiddenTags = [['i', 'secret prompt', 'text'], ['param', 'model', 'x']]

describe.each(['nip04', 'nip44'] as const)('%s', (scheme) => {
  it('decrypts the hidden tags of a request and tells the scheme', async () => {
    const content = await encryptTo(customer, scheme, dvm.pubkey, JSON.stringify(hiddenTags))
    const request = await customer.signEvent({ kind: 5050, created_at: 1, content, tags: [['p', dvm.pubkey], ['encrypted']] })
    expect(await decryptRequest(dvm, request)).toEqual({ tags: hiddenTags, encryption: scheme })
  })
  it('lets the customer read an encrypted answer', async () => {
    const answer = await dvm.signEvent({ kind: 6050, created_at: 1, tags: [['encrypted']], content: await encryptTo(dvm, scheme, customer.pubkey, 'the answer') })
    expect(await readContent(customer, answer)).toBe('the answer')
  })
})

describe('decryptRequest', () => {
  it('says why when the content is not for this DVM', async () => {
    const content = await encryptTo(customer, 'nip44', new SecretKeySigner(generateSecretKey()).pubkey, '[]')
    const request = finalizeEvent({ kind: 5050, created_at: 1, content, tags: [['encrypted']] }, generateSecretKey())
    expect(await decryptRequest(dvm, request)).toEqual({ error: expect.stringMatching(/could not decrypt the request \(nip44\)/) })
  })
  it('refuses decrypted content that is not a list of tags', async () => {
    const request = await customer.signEvent({ kind: 5050, created_at: 1, content: await encryptTo(customer, 'nip04', dvm.pubkey, '"hi"'), tags: [['encrypted']] })
    expect(await decryptRequest(dvm, request)).toEqual({ error: expect.stringMatching(/list of tags/) })
  })
  it('leaves plain answers alone', async () => {
    expect(await readContent(customer, await dvm.signEvent({ kind: 6050, created_at: 1, tags: [], content: 'plain' }))).toBe('plain')
  })
})
