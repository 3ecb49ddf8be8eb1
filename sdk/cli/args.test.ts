import { nip19 } from 'nostr-tools'
import { generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { bytesToHex } from 'nostr-tools/utils'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RELAY, parseArgs, parsePubkey, parseSecretKey } from './args'

const hex = (c: string) => c.repeat(64)

describe('parseArgs', () => {
  it('reads a job with every option', () => {
    expect(parseArgs(['job', '5050', 'what is nostr?', '--param', 'model=m', '--param=temp=0.5', '--relay', 'wss://a', '--relay=ws://b', '--bid', '1000', '--to', hex('a'), '--encrypt=nip44', '--timeout', '30'])).toEqual({
      command: 'job', kind: 5050, input: 'what is nostr?', params: { model: 'm', temp: '0.5' }, relays: ['wss://a', 'ws://b'], bid: 1000, to: [hex('a')], encrypt: 'nip44', timeout: 30,
    })
  })
  it('defaults relays to OANIX_RELAYS, else the local platform, and --encrypt to NIP-04', () => {
    expect(parseArgs(['job', '5050', 'x'], { OANIX_RELAYS: 'wss://a, wss://b' })).toMatchObject({ relays: ['wss://a', 'wss://b'] })
    expect(parseArgs(['job', '5050', 'x', '--to', hex('a'), '--encrypt'])).toMatchObject({ relays: [DEFAULT_RELAY], encrypt: 'nip04' })
  })
  it('reads dvms, and help', () => {
    expect(parseArgs(['dvms', '5100', '--relay', 'wss://a'])).toEqual({ command: 'dvms', kind: 5100, relays: ['wss://a'] })
    expect(parseArgs([])).toEqual({ command: 'help' })
    expect(parseArgs(['job', '--help'])).toEqual({ command: 'help' })
  })
  it.each([
    [['jobs', '5050', 'x'], /unknown command/],
    [['job', '1', 'x'], /kind must be a job request kind/],
    [['job', '5050'], /job needs an input/],
    [['job', '5050', 'a', 'b'], /unexpected argument "b"/],
    [['job', '5050', 'x', '--param', 'novalue'], /--param must be name=value/],
    [['job', '5050', 'x', '--bid', 'lots'], /--bid must be/],
    [['job', '5050', 'x', '--relay', 'https://a'], /--relay must be a ws/],
    [['job', '5050', 'x', '--to', 'bob'], /neither a hex public key nor an npub/],
    [['job', '5050', 'x', '--encrypt'], /--encrypt needs exactly one --to/],
    [['job', '5050', 'x', '--encrypt=aes'], /--encrypt takes nip04 or nip44/],
    [['job', '5050', 'x', '--timeout', '0'], /--timeout must be/],
    [['job', '5050', 'x', '--relay'], /--relay needs a value/],
    [['job', '5050', 'x', '--verbose'], /unknown option --verbose/],
    [['dvms', '5050', '--bid', '1'], /does not apply to dvms/],
  ])('refuses %j', (argv, problem) => {
    const parsed = parseArgs(argv)
    expect('error' in parsed && parsed.error).toMatch(problem)
  })
})

describe('keys', () => {
  const sk = generateSecretKey()
  it('reads a secret key as hex or nsec', () => {
    expect(parseSecretKey(bytesToHex(sk))).toEqual(sk)
    expect(parseSecretKey(nip19.nsecEncode(sk))).toEqual(sk)
    expect(parseSecretKey('npub1nope')).toEqual({ error: expect.stringMatching(/OANIX_SECRET_KEY/) })
  })
  it('reads a public key as hex or npub', () => {
    const pk = getPublicKey(sk)
    expect(parsePubkey(pk.toUpperCase())).toBe(pk)
    expect(parsePubkey(nip19.npubEncode(pk))).toBe(pk)
  })
})
