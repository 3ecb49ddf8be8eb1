/**
 * The SDK's DVM runtime (runDvm), job client (submitJob, findDvms) and CLI end to end, over real
 * WebSockets against the running relay. Every job names its DVM, so the DVMs here never race.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { generateSecretKey } from 'nostr-tools/pure'
import { bytesToHex } from 'nostr-tools/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineDvm, findDvms, JobError, SecretKeySigner, submitJob, type Job, type JobFeedback, type NostrEvent } from '../../sdk/index'
import { echo } from '../../sdk/examples/echo-dvm'
import { runDvm, WebSocket, type RunningDvm } from '../../sdk/node'
import { createPool, queryAll } from '../../sdk/nostr/pool'
import type { Filter } from 'nostr-tools/filter'
import { eventually, randomHex, relayUrl } from './helpers'

const KIND = 5050
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const signer = () => new SecretKeySigner(generateSecretKey())

/** A DVM whose `mode` param says what to do; it logs what its handler saw. */
function lab(log: Array<Pick<Job, 'id' | 'inputs' | 'encryption'> & { aborted?: boolean }>) {
  return defineDvm({
    kinds: [KIND],
    info: { name: 'lab', about: 'does as its mode param says' },
    partialInterval: 300,
    async handle(job, ctx) {
      const entry = { id: job.id, inputs: job.inputs, ...(job.encryption ? { encryption: job.encryption } : {}) }
      log.push(entry)
      switch (job.params.mode) {
        case 'fail':
          throw new JobError('asked to fail')
        case 'crash':
          throw new RangeError('out of range')
        case 'wait':
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))
          Object.assign(entry, { aborted: true })
          return 'too late'
        case 'slow':
          await sleep(500) // long enough for the second delivery to arrive while it runs
          return 'slow'
        case 'stream':
          // 'a' goes at once; 'ab' and 'abc' wait for the interval, then only the newest goes.
          for (const text of ['a', 'ab', 'abc']) await ctx.partial(text)
          await sleep(700)
          return 'abcd'
        default:
          return `got ${job.inputs.map((i) => i.data).join(', ')}`
      }
    },
  })
}

/** What the relay has stored, read as any client would. */
async function stored(filter: Filter): Promise<NostrEvent[]> {
  const pool = createPool({ WebSocket })
  try {
    return await queryAll(pool, [relayUrl()], [filter])
  } finally {
    pool.destroy()
  }
}

const statuses = (feedback: JobFeedback[]) => feedback.map((f) => f.status)

async function collect(handle: { feedback: AsyncIterable<JobFeedback> }): Promise<JobFeedback[]> {
  const out: JobFeedback[] = []
  for await (const f of handle.feedback) out.push(f)
  return out
}

describe('runDvm, submitJob and findDvms over WebSockets', () => {
  const log: Parameters<typeof lab>[0] = []
  let labDvm: RunningDvm
  let pricedDvm: RunningDvm
  let echoDvm: RunningDvm
  let pricedRuns = 0
  const client = () => ({ relays: [relayUrl()], signer: signer(), WebSocket })

  beforeAll(async () => {
    // Two URLs of the same relay: every request reaches the lab DVM twice.
    labDvm = await runDvm(lab(log), { relays: [relayUrl(), `${relayUrl()}/?copy=1`], signer: signer(), heartbeat: 60 })
    const priced = defineDvm({ kinds: [KIND], price: 5000, info: { name: 'priced', about: 'costs 5 sats' }, handle: async () => `paid ${++pricedRuns}` })
    pricedDvm = await runDvm(priced, { relays: [relayUrl()], signer: signer() })
    echoDvm = await runDvm(echo, { relays: [relayUrl()], signer: signer() })
  })
  afterAll(async () => {
    await Promise.all([labDvm?.stop(), pricedDvm?.stop(), echoDvm?.stop()])
  })

  it('streams processing, throttled partials with the newest text, then the result', async () => {
    const handle = await submitJob({ ...client(), kind: KIND, inputs: ['go'], params: { mode: 'stream' }, targets: [labDvm.pubkey] })
    const feedback = await collect(handle)
    expect((await handle.result).content).toBe('abcd')
    expect(statuses(feedback)).toEqual(['processing', 'partial', 'partial'])
    expect(feedback.filter((f) => f.status === 'partial').map((f) => f.content)).toEqual(['a', 'abc'])
    expect(feedback.every((f) => f.event.pubkey === labDvm.pubkey)).toBe(true)
  })

  it('handles a request that arrives twice once', async () => {
    const handle = await submitJob({ ...client(), kind: KIND, inputs: ['once'], params: { mode: 'slow' }, targets: [labDvm.pubkey] })
    expect((await handle.result).content).toBe('slow')
    expect(log.filter((e) => e.id === handle.id)).toHaveLength(1)
  })

  it('asks for payment when the bid is below the price, and works for a bid at the price', async () => {
    const low = await submitJob({ ...client(), kind: KIND, inputs: ['x'], bid: 1000, targets: [pricedDvm.pubkey] })
    let first: JobFeedback | undefined
    for await (const f of low.feedback) {
      first = f
      break
    }
    expect(first).toMatchObject({ status: 'payment-required', amount: { msats: 5000 } })
    await low.cancel()
    await expect(low.result).rejects.toThrow(/cancelled/)
    expect(pricedRuns).toBe(0)
    const enough = await submitJob({ ...client(), kind: KIND, inputs: ['x'], bid: 5000, targets: [pricedDvm.pubkey] })
    const result = await enough.result
    expect(result.content).toBe('paid 1')
    expect(result.tags).toContainEqual(['amount', '5000'])
  })

  it.each([
    ['fail', 'asked to fail'],
    ['crash', 'out of range'],
  ])('ends a job whose handler throws (%s) with error feedback and a rejected result', async (mode, message) => {
    const handle = await submitJob({ ...client(), kind: KIND, inputs: ['x'], params: { mode }, targets: [labDvm.pubkey] })
    await expect(handle.result).rejects.toThrow(new JobError(message))
    expect(statuses(await collect(handle))).toEqual(['processing', 'error'])
  })

  it.each(['nip04', 'nip44'] as const)('runs a %s-encrypted job and decrypts the answer', async (scheme) => {
    const handle = await submitJob({ ...client(), kind: KIND, inputs: ['top secret'], encrypted: scheme, targets: [labDvm.pubkey] })
    expect(handle.request.content).not.toContain('top secret')
    expect(handle.request.tags).toEqual(expect.arrayContaining([['p', labDvm.pubkey], ['encrypted']]))
    const result = await handle.result
    expect(result.content).toBe('got top secret')
    expect(result.tags).toContainEqual(['encrypted'])
    expect(log.find((e) => e.id === handle.id)).toMatchObject({ inputs: [{ data: 'top secret', type: 'text' }], encryption: scheme })
  })

  it('cancels a running job with a NIP-09 deletion: the handler is aborted and nothing more comes', async () => {
    const handle = await submitJob({ ...client(), kind: KIND, inputs: ['x'], params: { mode: 'wait' }, targets: [labDvm.pubkey] })
    for await (const f of handle.feedback) if (f.status === 'processing') break
    await handle.cancel('changed my mind')
    await expect(handle.result).rejects.toThrow(/cancelled/)
    await eventually(async () => log.some((e) => e.id === handle.id && e.aborted))
    // A later job on the same connections has its answers out after anything the aborted one sent.
    await (await submitJob({ ...client(), kind: KIND, inputs: ['later'], targets: [labDvm.pubkey] })).result
    const answers = await stored({ '#e': [handle.id], authors: [labDvm.pubkey] })
    expect(answers.map((e) => e.kind)).toEqual([7000])
  })

  it('leaves a job naming another DVM alone', async () => {
    const elsewhere = await submitJob({ ...client(), kind: KIND, inputs: ['not yours'], targets: [randomHex()] })
    const mine = await submitJob({ ...client(), kind: KIND, inputs: ['yours'], targets: [labDvm.pubkey] })
    await mine.result
    // Both requests came in on the same subscription, the other first: it was seen and skipped.
    expect(log.map((e) => e.id)).not.toContain(elsewhere.id)
    await elsewhere.cancel()
  })

  it('finds the DVMs of a kind by their announcements, with prices', async () => {
    const found = await findDvms(KIND, { relays: [relayUrl()], WebSocket })
    expect(found).toEqual(expect.arrayContaining([
      expect.objectContaining({ pubkey: labDvm.pubkey, name: 'lab', kinds: [KIND], price: 0 }),
      expect.objectContaining({ pubkey: pricedDvm.pubkey, name: 'priced', price: 5000 }),
    ]))
  })

  it('sends heartbeats that expire', async () => {
    const [beat] = await stored({ kinds: [11998], authors: [labDvm.pubkey] })
    expect(Number(beat.tags.find((t) => t[0] === 'expiration')?.[1])).toBeGreaterThan(beat.created_at)
  })

  it('runs the echo example: partial words, then the whole prompt', async () => {
    const handle = await submitJob({ ...client(), kind: KIND, inputs: ['hello big world'], targets: [echoDvm.pubkey] })
    const feedback = await collect(handle)
    expect((await handle.result).content).toBe('hello big world')
    expect(statuses(feedback)).toEqual(['processing', 'partial'])
    expect(feedback[1].content).toBe('hello')
  })

  describe('the oanix CLI', () => {
    const bin = fileURLToPath(new URL('../../sdk/bin/oanix.mjs', import.meta.url))
    const oanix = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, timeout: 25_000 })

    it('runs a job, streaming feedback to stderr and the result to stdout', async () => {
      const key = generateSecretKey()
      const { stdout, stderr } = await oanix(['job', String(KIND), 'from the shell', '--relay', relayUrl(), '--to', echoDvm.pubkey, '--encrypt=nip44'], {
        OANIX_SECRET_KEY: bytesToHex(key),
      })
      expect(stdout).toBe('from the shell\n')
      expect(stderr).toMatch(/\[processing\]/)
      expect(stderr).toMatch(/\[partial\] from/)
    })

    it('exits 1 with the DVM message when the job fails', async () => {
      const failed = await oanix(['job', String(KIND), 'x', '--param', 'mode=fail', '--relay', relayUrl(), '--to', labDvm.pubkey]).catch((e) => e)
      expect(failed.code).toBe(1)
      expect(failed.stderr).toMatch(/oanix: asked to fail/)
    })

    it('lists the DVMs of a kind', async () => {
      const { stdout } = await oanix(['dvms', String(KIND), '--relay', relayUrl()])
      expect(stdout).toContain(`${pricedDvm.pubkey}\tpriced\t5000 msats\tcosts 5 sats`)
    })
  })
})
