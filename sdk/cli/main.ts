/** `oanix job` and `oanix dvms`: the job client and DVM discovery from a shell. */
import { generateSecretKey } from 'nostr-tools/pure'
import WebSocket from 'ws'
import type { DvmAnnouncement } from '../dvm/announcement'
import { findDvms } from '../jobs/find'
import type { JobFeedback } from '../jobs/request'
import { submitJob } from '../jobs/submit'
import { SecretKeySigner } from '../nostr/signer'
import { parseArgs, parseSecretKey, USAGE, type Command } from './args'
import { runFs } from './fs'

export interface CliIo {
  env: Record<string, string | undefined>
  out: (line: string) => void
  err: (line: string) => void
  /** Called with a canceller while a job runs (the bin wires it to Ctrl-C). */
  onInterrupt?: (cancel: () => void) => () => void
}

const processIo: CliIo = {
  env: process.env,
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  onInterrupt: (cancel) => {
    process.once('SIGINT', cancel)
    return () => process.off('SIGINT', cancel)
  },
}

/** Runs one command; resolves to the exit code (0 done, 1 the job or a relay failed, 2 bad usage). */
export async function run(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv[0] === 'fs') return runFs(argv.slice(1), io)
  const command = parseArgs(argv, io.env)
  if ('error' in command) {
    io.err(`oanix: ${command.error}\n\n${USAGE}`)
    return 2
  }
  try {
    switch (command.command) {
      case 'help':
        io.out(USAGE)
        return 0
      case 'dvms':
        return await dvms(command, io)
      case 'job':
        return await job(command, io)
    }
  } catch (err) {
    io.err(`oanix: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  }
}

async function job(c: Extract<Command, { command: 'job' }>, io: CliIo): Promise<number> {
  const secret = io.env.OANIX_SECRET_KEY ? parseSecretKey(io.env.OANIX_SECRET_KEY) : generateSecretKey()
  if ('error' in secret) {
    io.err(`oanix: ${secret.error}`)
    return 2
  }
  const handle = await submitJob({
    kind: c.kind, inputs: [c.input], params: c.params, relays: c.relays, targets: c.to, signer: new SecretKeySigner(secret), WebSocket,
    ...(c.bid !== undefined ? { bid: c.bid } : {}), ...(c.encrypt ? { encrypted: c.encrypt } : {}), ...(c.timeout ? { timeout: c.timeout * 1000 } : {}),
  })
  io.err(`job ${handle.id} sent to ${c.relays.join(', ')}`)
  const release = io.onInterrupt?.(() => void handle.cancel().catch(() => {}))
  try {
    for await (const f of handle.feedback) io.err(describeFeedback(f))
    const result = await handle.result
    io.out(result.content)
    return 0
  } catch (err) {
    io.err(`oanix: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  } finally {
    release?.()
  }
}

/** One line per feedback event, e.g. `[payment-required] 1000 msats lnbc…`. */
export function describeFeedback(f: JobFeedback): string {
  const from = f.event.pubkey.slice(0, 8)
  const parts = [`[${f.status}]`, f.message, f.amount ? `${f.amount.msats} msats${f.amount.bolt11 ? ' ' + f.amount.bolt11 : ''}` : undefined, f.content || undefined]
  return `${from} ${parts.filter(Boolean).join(' ')}`
}

async function dvms(c: Extract<Command, { command: 'dvms' }>, io: CliIo): Promise<number> {
  const found = await findDvms(c.kind, { relays: c.relays, WebSocket })
  if (found.length === 0) io.err(`no DVM announces kind ${c.kind} on ${c.relays.join(', ')}`)
  for (const d of found) io.out(describeDvm(d))
  return 0
}

/** One line per DVM: pubkey, name, price, about. */
export function describeDvm(d: DvmAnnouncement): string {
  const price = d.price ? `${d.price} msats` : 'free'
  return [d.pubkey, d.name || '(unnamed)', price, d.about].filter(Boolean).join('\t')
}
