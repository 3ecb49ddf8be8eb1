/** DvmHost inside workerd: a DVM built with defineDvm, hosted in a Durable Object, fed by the relay's router. */
import { env } from 'cloudflare:test'
import { generateSecretKey } from 'nostr-tools/pure'
import { describe, expect, it } from 'vitest'
import { encryptTo, readContent } from '../../sdk/dvm/encryption'
import { SecretKeySigner } from '../../sdk/nostr/signer'
import { eventually, getJson, relayInfo } from '../workers/market'
import { now, signed, TestSocket, type Frame } from '../workers/socket'
import { HOSTED_DVM_KIND, type HostedDvm } from './hosted-dvm'

type Ev = { id: string; kind: number; pubkey: string; content: string; tags: string[][]; created_at: number; sig: string }

const dvm = () => {
  const ns = (env as unknown as Record<string, DurableObjectNamespace<HostedDvm>>).HOSTED_DVM
  return ns.get(ns.idFromName('HOSTED_DVM'))
}

/** The DVM's pubkey, once the router has registered it. */
async function registered(): Promise<string> {
  await relayInfo()
  const pubkey = await dvm().pubkey()
  await eventually(async () => {
    const listed = await getJson<Array<{ pubkey: string; internal: boolean; name: string }>>(`/dvms?kind=${HOSTED_DVM_KIND}`)
    expect(listed).toContainEqual(expect.objectContaining({ pubkey, internal: true, name: 'hosted echo' }))
  })
  return pubkey
}

/** Publishes a request and collects the answers to it, up to its result or an error. */
async function submit(customer: TestSocket, request: Ev): Promise<Ev[]> {
  customer.send(['REQ', request.id.slice(0, 8), { '#e': [request.id] }])
  await customer.next((f) => f[0] === 'EOSE')
  expect(await customer.publish(request)).toEqual(['OK', request.id, true, ''])
  const answers: Ev[] = []
  for (;;) {
    const [, , e] = (await customer.next((f: Frame) => f[0] === 'EVENT' && f[1] === request.id.slice(0, 8))) as [string, string, Ev]
    answers.push(e)
    if (e.kind !== 7000 || e.tags.some((t) => t[0] === 'status' && t[1] === 'error')) return answers
  }
}

const statuses = (answers: Ev[]) => answers.map((e) => (e.kind === 7000 ? e.tags.find((t) => t[0] === 'status')![1] : `result:${e.content}`))

describe('DvmHost in a Durable Object', () => {
  it('announces through the router, then answers a job with processing, partial and result', async () => {
    const pubkey = await registered()
    const customer = await TestSocket.open()
    const request = signed({ kind: HOSTED_DVM_KIND, tags: [['i', 'hello there', 'text']] })
    const answers = await submit(customer, request)
    expect(statuses(answers)).toEqual(['processing', 'partial', 'result:echo: hello there'])
    expect(answers.every((e) => e.pubkey === pubkey)).toBe(true)
    expect(JSON.parse(answers[2].tags.find((t) => t[0] === 'request')![1])).toEqual(JSON.parse(JSON.stringify(request)))
    await eventually(async () => expect((await getJson(`/jobs/${request.id}`)).status).toBe('success'))
    customer.close()
  })

  it('ends a throwing job with error feedback carrying the message', async () => {
    await registered()
    const customer = await TestSocket.open()
    const answers = await submit(customer, signed({ kind: HOSTED_DVM_KIND, tags: [['i', 'x', 'text'], ['param', 'mode', 'fail']] }))
    expect(statuses(answers)).toEqual(['processing', 'error'])
    expect(answers[1].tags).toContainEqual(['status', 'error', 'asked to fail'])
    customer.close()
  })

  it('resolves an event input through the relay query RPC', async () => {
    await registered()
    const customer = await TestSocket.open()
    const note = signed({ kind: 1, content: 'a stored note' })
    await customer.publish(note)
    const answers = await submit(customer, signed({ kind: HOSTED_DVM_KIND, tags: [['i', note.id, 'event'], ['param', 'mode', 'resolve']] }))
    expect(statuses(answers).at(-1)).toBe('result:a stored note')
    customer.close()
  })

  it('gets the result of a chained job from the router', async () => {
    await registered()
    const customer = await TestSocket.open()
    const first = signed({ kind: HOSTED_DVM_KIND, tags: [['i', 'one', 'text']] })
    const second = signed({ kind: HOSTED_DVM_KIND, tags: [['i', first.id, 'job'], ['param', 'mode', 'chain']] })
    await customer.publish(second) // held by the router until the first has a result
    await submit(customer, first)
    await eventually(async () => expect((await dvm().seen()).finished).toContain(second.id))
    const [result] = (await customer.req('chained', { kinds: [HOSTED_DVM_KIND + 1000], '#e': [second.id] })) as Ev[]
    expect(result.content).toBe('after echo: one')
    customer.close()
  })

  it('decrypts a NIP-44 request and answers encrypted', async () => {
    const pubkey = await registered()
    const customer = await TestSocket.open()
    const signer = new SecretKeySigner(generateSecretKey())
    const content = await encryptTo(signer, 'nip44', pubkey, JSON.stringify([['i', 'secret words', 'text']]))
    const request = await signer.signEvent({ kind: HOSTED_DVM_KIND, created_at: now(), tags: [['p', pubkey], ['encrypted']], content })
    const answers = await submit(customer, request)
    const result = answers.at(-1)!
    expect(result.tags).toContainEqual(['encrypted'])
    expect(result.content).not.toContain('secret')
    expect(await readContent(signer, result)).toBe('echo: secret words')
    customer.close()
  })

  it('aborts a job the customer deletes, and publishes nothing more', async () => {
    await registered()
    const customer = await TestSocket.open()
    const sk = generateSecretKey()
    const request = signed({ kind: HOSTED_DVM_KIND, tags: [['i', 'x', 'text'], ['param', 'mode', 'wait']] }, sk)
    expect(statuses(await submitUntilProcessing(customer, request))).toEqual(['processing'])
    await customer.publish(signed({ kind: 5, tags: [['e', request.id], ['k', String(HOSTED_DVM_KIND)]] }, sk))
    await eventually(async () => expect((await dvm().seen()).finished).toContain(request.id))
    expect((await dvm().seen()).aborted).toContain(request.id)
    expect(await customer.req('after', { kinds: [HOSTED_DVM_KIND + 1000], '#e': [request.id] })).toEqual([])
    customer.close()
  })

  it('handles a request delivered twice once', async () => {
    await registered()
    const request = signed({ kind: 5050, tags: [['i', 'twice', 'text']] }) as unknown as Ev
    await Promise.all([dvm().job(request, { results: {} }), dvm().job(request, { results: {} })])
    expect((await dvm().seen()).handled.filter((id) => id === request.id)).toHaveLength(1)
  })
})

async function submitUntilProcessing(customer: TestSocket, request: Ev): Promise<Ev[]> {
  customer.send(['REQ', 'wait', { '#e': [request.id], kinds: [7000] }])
  await customer.next((f) => f[0] === 'EOSE')
  await customer.publish(request)
  const [, , e] = (await customer.next((f) => f[0] === 'EVENT' && f[1] === 'wait')) as [string, string, Ev]
  return [e]
}
