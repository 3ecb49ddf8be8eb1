import { generateSecretKey } from 'nostr-tools/pure'
import { matchFilter } from 'nostr-tools/filter'
import { describe, expect, it } from 'vitest'
import { SecretKeySigner, type NostrEvent } from '../nostr/signer'
import { feedbackStatus } from './answers'
import { defineDvm } from './define'
import { encryptTo, readContent } from './encryption'
import { DvmRuntime, type RuntimeOptions } from './runtime'
import { JobError, type DvmDefinition, type JobContext } from './types'

const customer = new SecretKeySigner(generateSecretKey())

/** A runtime whose relay is a list: what it publishes, and what `query` reads. */
function harness(def: Partial<DvmDefinition> & Pick<DvmDefinition, 'handle'>, options: RuntimeOptions = {}, stored: NostrEvent[] = []) {
  const signer = new SecretKeySigner(generateSecretKey())
  const published: NostrEvent[] = []
  const runtime = new DvmRuntime(
    defineDvm({ kinds: [5050], info: { name: 'test', about: '' }, partialInterval: 0, ...def }),
    {
      signer,
      publish: async (e) => void published.push(e),
      query: async (filters) => stored.filter((e) => filters.some((f) => matchFilter(f, e))),
    },
    options,
  )
  const statuses = () => published.map((e) => (e.kind === 7000 ? feedbackStatus(e)! : `result:${e.content}`))
  return { runtime, signer, published, statuses }
}

const request = (tags: string[][], content = '', kind = 5050) => customer.signEvent({ kind, created_at: Math.floor(Date.now() / 1000), tags, content })

describe('DvmRuntime', () => {
  it('sends processing, runs the handler and publishes the result', async () => {
    const h = harness({ handle: async (job) => ({ content: `echo ${job.inputs[0].data}`, tags: [['t', 'x']] }) })
    const req = await request([['i', 'hi', 'text']])
    await h.runtime.job(req)
    expect(h.statuses()).toEqual(['processing', 'result:echo hi'])
    const result = h.published[1]
    expect(result.kind).toBe(6050)
    expect(result.tags).toEqual(expect.arrayContaining([['e', req.id], ['p', customer.pubkey], ['i', 'hi', 'text'], ['t', 'x'], ['request', JSON.stringify(req)]]))
  })

  it('asks for payment when the bid is below the price, without running the handler', async () => {
    let ran = false
    const h = harness({ price: 5000, handle: async () => ((ran = true), 'x') })
    await h.runtime.job(await request([['i', 'hi', 'text'], ['bid', '4999']]))
    await h.runtime.job(await request([['i', 'hi', 'text']]))
    expect(ran).toBe(false)
    expect(h.statuses()).toEqual(['payment-required', 'payment-required'])
    expect(h.published[0].tags).toContainEqual(['amount', '5000'])
  })

  it('serves a bid at the price, and puts the amount on the result', async () => {
    const h = harness({ price: 5000, handle: async () => 'done' })
    await h.runtime.job(await request([['bid', '5000']]))
    expect(h.statuses()).toEqual(['processing', 'result:done'])
    expect(h.published[1].tags).toContainEqual(['amount', '5000'])
  })

  it('goes on after payment-required once the settlement says paid', async () => {
    const h = harness({ price: 10, handle: async () => 'paid work' }, { settlement: { invoice: async () => 'lnbc10n1', paid: async () => true } })
    await h.runtime.job(await request([]))
    expect(h.statuses()).toEqual(['payment-required', 'processing', 'result:paid work'])
    expect(h.published[0].tags).toContainEqual(['amount', '10', 'lnbc10n1'])
  })

  it.each([
    ['a JobError', () => new JobError('no such model'), 'no such model'],
    ['any other error', () => new TypeError('boom'), 'boom'],
  ])('answers %s with error feedback carrying its message', async (_, make, message) => {
    const h = harness({ handle: async () => { throw make() } })
    await h.runtime.job(await request([]))
    expect(h.statuses()).toEqual(['processing', 'error'])
    expect(h.published[1].tags).toContainEqual(['status', 'error', message])
  })

  it('refuses an invalid request with error feedback, and a handler answer without content', async () => {
    const h = harness({ handle: async () => ({}) as never })
    await h.runtime.job(await request([['i', 'x', 'telepathy']]))
    await h.runtime.job(await request([]))
    expect(h.published.map((e) => e.tags.find((t) => t[0] === 'status')?.[2])).toEqual([
      expect.stringMatching(/^invalid job request: unknown input type/), undefined, 'the handler answered without a string content',
    ])
  })

  it('sends throttled partials, the newest text, never after the result', async () => {
    const h = harness({
      partialInterval: 60_000,
      handle: async (_, ctx) => {
        for (const s of ['a', 'ab', 'abc']) await ctx.partial(s)
        return 'abcd'
      },
    })
    await h.runtime.job(await request([]))
    await new Promise((r) => setTimeout(r, 20))
    expect(h.statuses()).toEqual(['processing', 'partial', 'result:abcd'])
    expect(h.published[1].content).toBe('a')
  })

  it('handles a request delivered twice once', async () => {
    let runs = 0
    const h = harness({ handle: async () => String(++runs) })
    const req = await request([])
    await Promise.all([h.runtime.job(req), h.runtime.job(req)])
    await h.runtime.job(req)
    expect(runs).toBe(1)
  })

  it('leaves requests naming other DVMs, and other kinds, alone', async () => {
    const h = harness({ handle: async () => 'x' })
    await h.runtime.job(await request([['p', customer.pubkey]]))
    await h.runtime.job(await request([], '', 5001))
    expect(h.published).toEqual([])
    await h.runtime.job(await request([['p', customer.pubkey], ['p', h.signer.pubkey]]))
    expect(h.statuses()).toEqual(['processing', 'result:x'])
  })

  it('aborts the handler on cancellation and publishes nothing after', async () => {
    let started!: () => void
    const running = new Promise<void>((r) => (started = r))
    const h = harness({
      handle: async (_, ctx) => {
        started()
        await new Promise((r) => ctx.signal.addEventListener('abort', r))
        await ctx.partial('too late')
        return 'too late'
      },
    })
    const req = await request([])
    const done = h.runtime.job(req)
    await running
    await h.runtime.cancel(req.id, 'f'.repeat(64)) // not the customer: ignored
    await h.runtime.cancel(req.id, customer.pubkey)
    await done
    expect(h.statuses()).toEqual(['processing'])
  })

  it('does not start a job cancelled before it arrived', async () => {
    const h = harness({ handle: async () => 'x' })
    const req = await request([])
    await h.runtime.cancel(req.id)
    await h.runtime.job(req)
    expect(h.published).toEqual([])
  })

  it.each(['nip04', 'nip44'] as const)('decrypts a %s request and answers encrypted the same way', async (scheme) => {
    let seen: unknown
    const h = harness({
      handle: async (job, ctx) => {
        seen = { inputs: job.inputs, params: job.params, encryption: job.encryption }
        await ctx.partial('half')
        return 'secret answer'
      },
    })
    const hidden = JSON.stringify([['i', 'secret prompt', 'text'], ['param', 'model', 'm']])
    await h.runtime.job(await request([['p', h.signer.pubkey], ['encrypted']], await encryptTo(customer, scheme, h.signer.pubkey, hidden)))
    expect(seen).toEqual({ inputs: [{ data: 'secret prompt', type: 'text' }], params: { model: 'm' }, encryption: scheme })
    const [, partial, result] = h.published
    expect(result.tags).toContainEqual(['encrypted'])
    expect(result.tags.some((t) => t[0] === 'i')).toBe(false)
    expect(result.content).not.toContain('secret')
    expect(await readContent(customer, result)).toBe('secret answer')
    expect(await readContent(customer, partial)).toBe('half')
  })

  it('answers a request it cannot decrypt with error feedback', async () => {
    const h = harness({ handle: async () => 'x' })
    await h.runtime.job(await request([['p', h.signer.pubkey], ['encrypted']], 'garbage'))
    expect(h.statuses()).toEqual(['error'])
    expect(h.published[0].tags[0][2]).toMatch(/could not decrypt/)
  })

  it('resolves events and earlier results from what the host can query', async () => {
    const stored = [await customer.signEvent({ kind: 1, created_at: 1, tags: [], content: 'a note' })]
    const earlier = await request([])
    stored.push(await customer.signEvent({ kind: 6050, created_at: 2, tags: [['e', earlier.id]], content: 'earlier result' }))
    let ctx!: JobContext
    const h = harness({ handle: async (job, c) => ((ctx = c), Object.values(job.chained).map((e) => e.content).join()) }, {}, stored)
    await h.runtime.job(await request([['i', earlier.id, 'job']]))
    expect(h.statuses()).toEqual(['processing', 'result:earlier result'])
    expect((await ctx.resolveEvent(stored[0].id))?.content).toBe('a note')
    expect(await ctx.resolveEvent('0'.repeat(64))).toBeUndefined()
    expect((await ctx.resolveJobResult(earlier.id))?.content).toBe('earlier result')
  })

  it('prefers the results the router delivered', async () => {
    const earlier = await request([])
    const delivered = await customer.signEvent({ kind: 6050, created_at: 2, tags: [['e', earlier.id]], content: 'from the router' })
    const h = harness({ handle: async (job) => job.chained[earlier.id].content })
    await h.runtime.job(await request([['i', earlier.id, 'job']]), { results: { [earlier.id]: delivered } })
    expect(h.statuses()).toEqual(['processing', 'result:from the router'])
  })

  it('signs an announcement for the definition', async () => {
    const h = harness({ handle: async () => 'x' })
    const a = await h.runtime.announcement()
    expect(a).toMatchObject({ kind: 31990, pubkey: h.signer.pubkey, tags: [['d', 'test'], ['k', '5050']] })
  })
})
