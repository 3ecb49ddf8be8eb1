import { nip19 } from 'nostr-tools'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RELAY } from './args'
import { parseFsArgs } from './fs-args'

const hex = (c: string) => c.repeat(64)
const on = ['--ns', 'team', '--bridge', hex('b'), '--relay', 'ws://r']
const target = { ns: 'team', bridge: hex('b'), relays: ['ws://r'] }

describe('parseFsArgs', () => {
  it('reads each file operation with its paths', () => {
    expect(parseFsArgs(['ls', ...on])).toEqual({ op: 'ls', ...target, path: '/' })
    expect(parseFsArgs(['ls', '/workspace/', ...on])).toEqual({ op: 'ls', ...target, path: '/workspace' })
    expect(parseFsArgs(['cat', '/w/a.txt', ...on])).toEqual({ op: 'cat', ...target, path: '/w/a.txt' })
    expect(parseFsArgs(['put', '/w/a.txt', './local.txt', ...on])).toEqual({ op: 'put', ...target, path: '/w/a.txt', from: './local.txt' })
    expect(parseFsArgs(['put', '/w/a.txt', '-', ...on])).toEqual({ op: 'put', ...target, path: '/w/a.txt' })
    expect(parseFsArgs(['rm', '-r', '/w/d', ...on])).toEqual({ op: 'rm', ...target, path: '/w/d', recursive: true })
    expect(parseFsArgs(['rm', '/w/a', ...on])).toEqual({ op: 'rm', ...target, path: '/w/a', recursive: false })
    expect(parseFsArgs(['mv', '/w/a', '/w/b', ...on])).toEqual({ op: 'mv', ...target, from: '/w/a', to: '/w/b' })
    expect(parseFsArgs(['mkdir', '/w/d', ...on])).toEqual({ op: 'mkdir', ...target, path: '/w/d' })
    expect(parseFsArgs(['watch', '/w', '--recursive', ...on, '--timeout=5'])).toEqual({ op: 'watch', ...target, path: '/w', recursive: true, timeout: 5 })
  })

  it('reads grants and revocations', () => {
    const npub = nip19.npubEncode(hex('c'))
    expect(parseFsArgs(['grant', npub, '--allow', '/workspace:rw', '--allow=/task:r', '--expires', '3600', ...on])).toEqual({
      op: 'grant', ...target, grantee: hex('c'), allow: [{ path: '/workspace', rights: 'rw' }, { path: '/task', rights: 'r' }], expiresIn: 3600,
    })
    expect(parseFsArgs(['revoke', hex('c'), '--id', 'g1', ...on])).toEqual({ op: 'revoke', ...target, grantee: hex('c'), id: 'g1' })
  })

  it('takes namespace, bridge and relays from the environment, and asks the relay for the bridge otherwise', () => {
    expect(parseFsArgs(['ls'], { OANIX_NS: 'n1', OANIX_BRIDGE: hex('a'), OANIX_RELAYS: 'wss://a, wss://b' })).toEqual({
      op: 'ls', ns: 'n1', bridge: hex('a'), relays: ['wss://a', 'wss://b'], path: '/',
    })
    expect(parseFsArgs(['ls', '--ns', 'n1'])).toEqual({ op: 'ls', ns: 'n1', relays: [DEFAULT_RELAY], path: '/' })
  })

  it('gives help', () => {
    expect(parseFsArgs([])).toEqual({ op: 'help' })
    expect(parseFsArgs(['cat', '--help'])).toEqual({ op: 'help' })
  })

  it.each([
    [['cp', '/a', ...on], /unknown fs command "cp"/],
    [['cat', ...on], /fs cat needs an argument/],
    [['mv', '/a', ...on], /fs mv needs 2 arguments/],
    [['cat', '/a', '/b', ...on], /unexpected argument "\/b"/],
    [['cat', '/a/../b', ...on], /bad path "\/a\/..\/b"/],
    [['cat', 'relative', ...on], /path must be absolute/],
    [['cat', '/a'], /give --ns/],
    [['cat', '/a', '--ns', 'bad id'], /--ns must be/],
    [['cat', '/a', '--ns', 'n', '--bridge', 'bob'], /--bridge: "bob" is neither/],
    [['cat', '/a', ...on, '--relay', 'http://x'], /--relay must be a ws/],
    [['cat', '/a', ...on, '--recursive'], /--recursive does not apply to fs cat/],
    [['cat', '/a', ...on, '--verbose'], /unknown option --verbose/],
    [['cat', '/a', ...on, '--timeout', '-1'], /--timeout must be/],
    [['grant', hex('c'), ...on], /needs at least one --allow/],
    [['grant', hex('c'), '--allow', '/w', ...on], /an allow rule is <path>:<rights/],
    [['grant', hex('c'), '--allow', '/w:rw', '--expires', 'soon', ...on], /--expires must be/],
    [['grant', 'carol', '--allow', '/w:rw', ...on], /"carol" is neither/],
    [['revoke', hex('c'), '--allow', '/w:r', ...on], /--allow does not apply to fs revoke/],
    [['ls', ...on, '--ns'], /--ns needs a value/],
  ])('refuses %j', (argv, problem) => {
    const parsed = parseFsArgs(argv)
    expect('error' in parsed && parsed.error).toMatch(problem)
  })
})
