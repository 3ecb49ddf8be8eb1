/** `oanix fs …`: file operations on a namespace served by an fs-bridge, read into a command. Pure. */
import { FsError } from '../fs/error'
import { normalizePath } from '../fs/path'
import { parseAllow, type Allow } from '../services/remote/events'
import { isNamespaceId } from '../services/remote/protocol'
import { DEFAULT_RELAY, parsePubkey } from './args'

export const FS_USAGE = `usage:
  oanix fs ls [path]                  list a directory (default /)
  oanix fs cat <path>                 print a file
  oanix fs put <path> [local-file]    write a file from a local file, or from stdin
  oanix fs rm <path> [-r|--recursive]
  oanix fs mv <from> <to>
  oanix fs mkdir <path>
  oanix fs watch <path> [-r|--recursive]   print changes until interrupted
  oanix fs grant <pubkey> --allow <path>:<rights>... [--expires seconds] [--id d]
  oanix fs revoke <pubkey> [--id d]
options: --ns <id> (or OANIX_NS), --bridge <pubkey> (or OANIX_BRIDGE; else asked of the relay),
  --relay <url>... (or OANIX_RELAYS, else ${DEFAULT_RELAY}), --timeout <seconds>.
Rights: r read, w write, x control writes under /cap. The key comes from OANIX_SECRET_KEY (hex or nsec).`

export interface FsTarget {
  ns: string
  /** Hex; absent: asked of the relay's platform (GET /fs). */
  bridge?: string
  relays: string[]
  /** Seconds. */
  timeout?: number
}

export type FsCommand =
  | { op: 'help' }
  | (FsTarget &
      (
        | { op: 'ls' | 'cat' | 'mkdir'; path: string }
        | { op: 'put'; path: string; from?: string }
        | { op: 'rm' | 'watch'; path: string; recursive: boolean }
        | { op: 'mv'; from: string; to: string }
        | { op: 'grant'; grantee: string; allow: Allow[]; id?: string; expiresIn?: number }
        | { op: 'revoke'; grantee: string; id?: string }
      ))

type Env = Record<string, string | undefined>
type Failure = { error: string }

const WITH_VALUE = new Set(['ns', 'bridge', 'relay', 'timeout', 'allow', 'expires', 'id'])
const BOOLEAN = new Set(['recursive'])
/** Positional arguments each operation takes: [required, optional]. */
const ARITY: Record<string, [number, number]> = {
  ls: [0, 1], cat: [1, 0], mkdir: [1, 0], put: [1, 1], rm: [1, 0], watch: [1, 0], mv: [2, 0], grant: [1, 0], revoke: [1, 0],
}
/** Options that only some operations take. */
const ONLY: Record<string, string[]> = { recursive: ['rm', 'watch'], allow: ['grant'], expires: ['grant'], id: ['grant', 'revoke'] }

function path(text: string): string | Failure {
  try {
    return normalizePath(text)
  } catch (err) {
    return { error: `bad path "${text}": ${FsError.is(err) ? err.detail : String(err)}` }
  }
}

export function parseFsArgs(argv: string[], env: Env = {}): FsCommand | Failure {
  const positional: string[] = []
  const flags: Array<[string, string]> = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-h' || arg === '--help') return { op: 'help' }
    if (arg === '-r') {
      flags.push(['recursive', ''])
      continue
    }
    if (!arg.startsWith('--') || arg === '--' || arg === '-') {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq < 0 ? undefined : eq)
    if (!WITH_VALUE.has(name) && !BOOLEAN.has(name)) return { error: `unknown option --${name}` }
    let value = eq < 0 ? undefined : arg.slice(eq + 1)
    if (value === undefined && WITH_VALUE.has(name)) {
      value = argv[++i]
      if (value === undefined) return { error: `--${name} needs a value` }
    }
    flags.push([name, value ?? ''])
  }
  const [op, ...args] = positional
  if (op === undefined || op === 'help') return { op: 'help' }
  if (!Object.hasOwn(ARITY, op)) return { error: `unknown fs command "${op}" (${Object.keys(ARITY).join(', ')})` }
  const [required, optional] = ARITY[op]
  if (args.length < required) return { error: `fs ${op} needs ${required === 1 ? 'an argument' : `${required} arguments`}` }
  if (args.length > required + optional) return { error: `unexpected argument "${args[required + optional]}"` }

  let ns = env.OANIX_NS
  let bridge = env.OANIX_BRIDGE
  let timeout: number | undefined
  let expiresIn: number | undefined
  let id: string | undefined
  let recursive = false
  const relays: string[] = []
  const allow: Allow[] = []
  for (const [name, value] of flags) {
    if (ONLY[name] && !ONLY[name].includes(op)) return { error: `--${name} does not apply to fs ${op}` }
    switch (name) {
      case 'ns':
        ns = value
        break
      case 'bridge':
        bridge = value
        break
      case 'relay':
        if (!/^wss?:\/\/./.test(value)) return { error: `--relay must be a ws:// or wss:// URL, got "${value}"` }
        relays.push(value)
        break
      case 'timeout':
        if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) return { error: `--timeout must be a positive number of seconds, got "${value}"` }
        timeout = Number(value)
        break
      case 'expires':
        if (!/^\d{1,10}$/.test(value) || Number(value) === 0) return { error: `--expires must be a positive whole number of seconds from now, got "${value}"` }
        expiresIn = Number(value)
        break
      case 'id':
        if (value === '') return { error: '--id must not be empty' }
        id = value
        break
      case 'allow':
        try {
          allow.push(parseAllow(value))
        } catch (err) {
          return { error: err instanceof Error ? err.message : String(err) }
        }
        break
      case 'recursive':
        recursive = true
        break
    }
  }
  if (ns === undefined) return { error: 'which namespace? give --ns <id> (or set OANIX_NS)' }
  if (!isNamespaceId(ns)) return { error: `--ns must be 1 to 63 letters, digits, ".", "_" or "-", got "${ns}"` }
  if (bridge !== undefined) {
    const hex = parsePubkey(bridge)
    if (typeof hex !== 'string') return { error: `--bridge: ${hex.error}` }
    bridge = hex
  }
  if (relays.length === 0) relays.push(...((env.OANIX_RELAYS ?? '').split(',').map((s) => s.trim()).filter(Boolean)))
  if (relays.length === 0) relays.push(DEFAULT_RELAY)
  const target: FsTarget = { ns, relays, ...(bridge !== undefined ? { bridge } : {}), ...(timeout !== undefined ? { timeout } : {}) }

  if (op === 'grant' || op === 'revoke') {
    const grantee = parsePubkey(args[0])
    if (typeof grantee !== 'string') return grantee
    if (op === 'revoke') return { op, ...target, grantee, ...(id !== undefined ? { id } : {}) }
    if (allow.length === 0) return { error: 'fs grant needs at least one --allow <path>:<rights>, e.g. --allow /workspace:rw' }
    return { op, ...target, grantee, allow, ...(id !== undefined ? { id } : {}), ...(expiresIn !== undefined ? { expiresIn } : {}) }
  }
  const paths: string[] = []
  for (const [i, text] of args.entries()) {
    // put's second argument is a local file (or - for stdin), not a remote path.
    if (op === 'put' && i === 1) continue
    const p = path(text)
    if (typeof p !== 'string') return p
    paths.push(p)
  }
  switch (op) {
    case 'mv':
      return { op, ...target, from: paths[0], to: paths[1] }
    case 'put':
      return { op, ...target, path: paths[0], ...(args[1] !== undefined && args[1] !== '-' ? { from: args[1] } : {}) }
    case 'rm':
    case 'watch':
      return { op, ...target, path: paths[0], recursive }
    default:
      return { op: op as 'ls' | 'cat' | 'mkdir', ...target, path: paths[0] ?? '/' }
  }
}
