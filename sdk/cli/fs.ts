/** `oanix fs …`: a namespace served by an fs-bridge, from a shell, through RemoteFs. */
import { readFile as readLocalFile } from 'node:fs/promises'
import WebSocket from 'ws'
import { readFile, writeFile } from '../fs/io'
import type { Change } from '../fs/types'
import { SecretKeySigner } from '../nostr/signer'
import { bridgeInfo, httpOriginOf } from '../services/remote/admin'
import { RemoteFs } from '../services/remote'
import { parseSecretKey } from './args'
import { FS_USAGE, parseFsArgs, type FsCommand } from './fs-args'

export interface FsIo {
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
  /** Called with a stopper while `watch` runs (the bin wires it to Ctrl-C). */
  onInterrupt?: (stop: () => void) => () => void
  /** Raw bytes to stdout (`cat`). */
  write?: (bytes: Uint8Array) => void
  /** A local file's bytes, or stdin's when `file` is undefined (`put`). */
  read?: (file: string | undefined) => Promise<Uint8Array>
}

async function stdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return new Uint8Array(Buffer.concat(chunks))
}

const processWrite = (bytes: Uint8Array) => void process.stdout.write(bytes)
const processRead = async (file: string | undefined) => (file === undefined ? stdin() : new Uint8Array(await readLocalFile(file)))

/** One line per change: `modify /workspace/a.ts`, `rename /a -> /b`. */
export function describeChange(c: Change): string {
  return `${c.type} ${c.path}${c.to !== undefined ? ` -> ${c.to}` : ''}`
}

/** Runs `oanix fs <argv>`; resolves to the exit code (0 done, 1 the operation failed, 2 bad usage). */
export async function runFs(argv: string[], io: FsIo): Promise<number> {
  const command = parseFsArgs(argv, io.env)
  if ('error' in command) {
    io.err(`oanix fs: ${command.error}\n\n${FS_USAGE}`)
    return 2
  }
  if (command.op === 'help') {
    io.out(FS_USAGE)
    return 0
  }
  const secret = parseSecretKey(io.env.OANIX_SECRET_KEY ?? '')
  if ('error' in secret) {
    io.err(`oanix fs: ${io.env.OANIX_SECRET_KEY ? secret.error : 'set OANIX_SECRET_KEY: the bridge answers keys it knows'}`)
    return 2
  }
  const signer = new SecretKeySigner(secret)
  let remote: RemoteFs | undefined
  try {
    const bridge = command.bridge ?? (await bridgeInfo(httpOriginOf(command.relays[0]))).pubkey
    remote = new RemoteFs({
      bridge, ns: command.ns, nostr: { signer, relays: command.relays, WebSocket },
      ...(command.timeout !== undefined ? { timeout: command.timeout * 1000 } : {}),
    })
    return await perform(command, remote, io)
  } catch (err) {
    io.err(`oanix fs: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  } finally {
    await remote?.close()
  }
}

async function perform(c: Exclude<FsCommand, { op: 'help' }>, remote: RemoteFs, io: FsIo): Promise<number> {
  switch (c.op) {
    case 'ls':
      for (const e of await remote.readdir(c.path)) io.out(`${String(e.size).padStart(10)}  ${e.name}${e.kind === 'dir' ? '/' : ''}`)
      return 0
    case 'cat':
      ;(io.write ?? processWrite)(await readFile(remote, c.path))
      return 0
    case 'put': {
      const bytes = await (io.read ?? processRead)(c.from)
      await writeFile(remote, c.path, bytes)
      io.err(`wrote ${bytes.length} bytes to ${c.path}`)
      return 0
    }
    case 'rm':
      await remote.remove(c.path, { recursive: c.recursive })
      return 0
    case 'mv':
      await remote.rename(c.from, c.to)
      return 0
    case 'mkdir':
      await remote.mkdir(c.path)
      return 0
    case 'watch':
      return watch(remote, c.path, c.recursive, io)
    case 'grant': {
      const expiration = c.expiresIn !== undefined ? Math.floor(Date.now() / 1000) + c.expiresIn : undefined
      io.out(await remote.grant(c.grantee, c.allow, { ...(c.id !== undefined ? { id: c.id } : {}), ...(expiration !== undefined ? { expiration } : {}) }))
      return 0
    }
    case 'revoke':
      io.out(await remote.revoke(c.grantee, c.id !== undefined ? { id: c.id } : {}))
      return 0
  }
}

/** Prints changes until interrupted (0) or until the bridge ends the watch (1). */
function watch(remote: RemoteFs, path: string, recursive: boolean, io: FsIo): Promise<number> {
  return new Promise((resolve) => {
    let release: (() => void) | undefined
    const finish = (code: number) => {
      stop()
      release?.()
      resolve(code)
    }
    const stop = remote.watch(path, (c) => io.out(describeChange(c)), {
      recursive,
      onGap: (missed) => io.err(`oanix fs: ${missed < 0 ? 'some' : missed} notification(s) missed; re-read ${path}`),
      onError: (error, ended) => {
        io.err(`oanix fs: ${error.message}`)
        if (ended) finish(1)
      },
    })
    release = io.onInterrupt?.(() => finish(0))
  })
}
