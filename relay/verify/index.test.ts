import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { loadVerifier, verifyNoble } from '.'

describe('verifier', () => {
  const event = finalizeEvent({ kind: 1, created_at: 1700000000, tags: [['t', 'x']], content: 'hello' }, generateSecretKey())
  const plain = JSON.parse(JSON.stringify(event))
  const cases: Array<[string, typeof plain, boolean]> = [
    ['a valid event', plain, true],
    ['changed content', { ...plain, content: 'hullo' }, false],
    ['changed tags', { ...plain, tags: [] }, false],
    ['a signature of another event', { ...plain, sig: plain.sig.replace(/^./, (c: string) => (c === '0' ? '1' : '0')) }, false],
    ['another pubkey', { ...plain, pubkey: finalizeEvent({ kind: 1, created_at: 1, tags: [], content: '' }, generateSecretKey()).pubkey }, false],
  ]

  it('runs libsecp256k1 from WebAssembly inside workerd', async () => {
    expect((await loadVerifier()).name).toBe('wasm')
  })

  it('signs events that both verifiers accept', async () => {
    const { sign, verify } = await loadVerifier()
    const signed = sign({ kind: 7000, created_at: 1700000000, tags: [['status', 'error', 'x']], content: '' }, generateSecretKey())
    expect(signed.id).toMatch(/^[0-9a-f]{64}$/)
    expect(verify(signed)).toBe(true)
    expect(verifyNoble(signed)).toBe(true)
  })

  it.each(cases)('wasm and noble agree on %s', async (_, e, valid) => {
    const { verify } = await loadVerifier()
    expect(verify(e)).toBe(valid)
    expect(verifyNoble(e)).toBe(valid)
  })
})
