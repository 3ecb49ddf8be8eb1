/** The `oanix` command line, read into a command. Pure: the environment comes in as a value. */
import { decode } from 'nostr-tools/nip19'
import { hexToBytes } from 'nostr-tools/utils'
import { isHex64, isJobRequestKind } from '../dvm/kinds'
import type { Encryption } from '../dvm/request'

export const DEFAULT_RELAY = 'ws://127.0.0.1:8787'

export const USAGE = `usage:
  oanix job <kind> <input> [--param k=v]... [--relay url]... [--bid msats] [--to pubkey]... [--encrypt[=nip04|nip44]] [--timeout s]
  oanix dvms <kind> [--relay url]...

The key comes from OANIX_SECRET_KEY (hex or nsec), else a throwaway key is made.
Relays default to OANIX_RELAYS (comma-separated), else ${DEFAULT_RELAY}.`

export type Command =
  | {
      command: 'job'
      kind: number
      input: string
      params: Record<string, string>
      relays: string[]
      bid?: number
      to: string[]
      encrypt?: Encryption
      /** Seconds. */
      timeout?: number
    }
  | { command: 'dvms'; kind: number; relays: string[] }
  | { command: 'help' }

type Env = Record<string, string | undefined>

const FLAGS_WITH_VALUE = new Set(['param', 'relay', 'bid', 'to', 'timeout'])

export function parseArgs(argv: string[], env: Env = {}): Command | { error: string } {
  const positional: string[] = []
  const flags: Array<[string, string | undefined]> = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') return { command: 'help' }
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    let value = eq < 0 ? undefined : arg.slice(eq + 1)
    if (value === undefined && FLAGS_WITH_VALUE.has(name)) {
      value = argv[++i]
      if (value === undefined) return { error: `--${name} needs a value` }
    }
    flags.push([name, value])
  }
  const [command, kindText, ...rest] = positional
  if (command === undefined || command === 'help') return { command: 'help' }
  if (command !== 'job' && command !== 'dvms') return { error: `unknown command "${command}" (job or dvms)` }
  const kind = Number(kindText)
  if (kindText === undefined || !isJobRequestKind(kind)) return { error: `kind must be a job request kind (5000-5999), got ${kindText ?? 'nothing'}` }

  const relays: string[] = []
  const params: Record<string, string> = {}
  const to: string[] = []
  let bid: number | undefined
  let encrypt: Encryption | undefined
  let timeout: number | undefined
  for (const [name, value = ''] of flags) {
    if (command === 'dvms' && name !== 'relay') return { error: `--${name} does not apply to dvms` }
    switch (name) {
      case 'relay':
        if (!/^wss?:\/\//.test(value)) return { error: `--relay must be a ws:// or wss:// URL, got "${value}"` }
        relays.push(value)
        break
      case 'param': {
        const eq = value.indexOf('=')
        if (eq <= 0) return { error: `--param must be name=value, got "${value}"` }
        params[value.slice(0, eq)] = value.slice(eq + 1)
        break
      }
      case 'bid':
        if (!/^\d{1,15}$/.test(value)) return { error: `--bid must be a whole number of millisats, got "${value}"` }
        bid = Number(value)
        break
      case 'to': {
        const pubkey = parsePubkey(value)
        if (typeof pubkey !== 'string') return pubkey
        to.push(pubkey)
        break
      }
      case 'encrypt':
        if (value !== '' && value !== 'nip04' && value !== 'nip44') return { error: `--encrypt takes nip04 or nip44, got "${value}"` }
        encrypt = value === '' ? 'nip04' : value
        break
      case 'timeout':
        if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) return { error: `--timeout must be a positive number of seconds, got "${value}"` }
        timeout = Number(value)
        break
      default:
        return { error: `unknown option --${name}` }
    }
  }
  if (relays.length === 0) relays.push(...defaultRelays(env))
  if (command === 'dvms') return rest.length > 0 ? { error: `unexpected argument "${rest[0]}"` } : { command, kind, relays }
  if (rest.length !== 1) return { error: rest.length === 0 ? 'job needs an input' : `unexpected argument "${rest[1]}" (quote an input with spaces)` }
  if (encrypt && to.length !== 1) return { error: '--encrypt needs exactly one --to' }
  return {
    command, kind, input: rest[0], params, relays, to,
    ...(bid !== undefined ? { bid } : {}), ...(encrypt ? { encrypt } : {}), ...(timeout !== undefined ? { timeout } : {}),
  }
}

function defaultRelays(env: Env): string[] {
  const listed = (env.OANIX_RELAYS ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  return listed.length > 0 ? listed : [DEFAULT_RELAY]
}

/** A public key as hex or npub, as hex. */
export function parsePubkey(text: string): string | { error: string } {
  if (isHex64(text.toLowerCase())) return text.toLowerCase()
  try {
    const decoded = decode(text)
    if (decoded.type === 'npub') return decoded.data
  } catch {
    // falls through to the error
  }
  return { error: `"${text}" is neither a hex public key nor an npub` }
}

/** A secret key as hex or nsec. */
export function parseSecretKey(text: string): Uint8Array | { error: string } {
  const trimmed = text.trim()
  if (isHex64(trimmed.toLowerCase())) return hexToBytes(trimmed.toLowerCase())
  try {
    const decoded = decode(trimmed)
    if (decoded.type === 'nsec') return decoded.data
  } catch {
    // falls through to the error
  }
  return { error: 'OANIX_SECRET_KEY must be 64 hex characters or an nsec' }
}
