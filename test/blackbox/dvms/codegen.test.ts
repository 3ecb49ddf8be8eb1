/** The code-generation DVM end to end: a nostr-tools customer, the relay under wrangler dev, the fake back-end. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Customer } from '../../../dvms/testing/customer'
import { statuses, tagsNamed, useDvmPlatform, type Event } from './harness'

const ANSWER = 'Sure, here you go:\n\n```python\ndef add(a, b):\n    return a + b\n```\n\nIt adds.'
const CODE = 'def add(a, b):\n    return a + b'
const platform = useDvmPlatform((fake) => fake.vars('CODEGEN', { MODEL: 'fake-coder', MODELS: 'fake-coder-large', PRICE: '5000', MAX_TOKENS: '2048' }))

describe('code generation DVM', () => {
  let customer: Customer
  let dvm: Event
  beforeAll(async () => {
    customer = await platform.customer()
    dvm = await customer.findDvm(5050, 'OANIX code generator')
  })
  beforeEach(() => {
    platform.fake().requests.length = 0
    platform.fake().chat = () => ({ reply: ANSWER })
  })
  const job = (tags: string[][]) => customer.run(customer.sign(5050, [...tags, ['p', dvm.pubkey]]))
  const sent = () => platform.fake().requestsTo('/v1/chat/completions').map((r) => r.body)

  it('announces itself (NIP-89) with its kind, params and price; DVMs without a back-end do not', async () => {
    expect(dvm.tags).toEqual(expect.arrayContaining([['k', '5050'], ['d', 'oanix-codegen']]))
    const info = JSON.parse(dvm.content)
    expect(info).toMatchObject({ name: 'OANIX code generator', price: 5000, params: { model: { values: ['fake-coder', 'fake-coder-large'] } } })
    expect(Object.keys(info.params)).toEqual(['model', 'max_tokens', 'temperature', 'top_p', 'top_k', 'frequency_penalty', 'language'])
    expect(await platform.getJson('/dvms?kind=5050')).toMatchObject([{ pubkey: dvm.pubkey, internal: true, price: 5000 }])
    expect(await platform.getJson('/dvms?kind=5100')).toEqual([])
    const image = await customer.run(customer.sign(5100, [['i', 'a cat', 'text']]))
    expect(image.feedback.map((f) => f.tags.find((t) => t[0] === 'status'))).toEqual([['status', 'error', 'no DVM serves kind 5100 here now']])
  })

  it('writes code: processing, partials of the streamed answer, then a result tagged per NIP-90', async () => {
    const run = await job([['i', 'add two numbers', 'text'], ['param', 'language', 'python'], ['param', 'model', 'fake-coder-large'], ['param', 'max_tokens', '300'], ['param', 'temperature', '0.1'], ['bid', '5000']])
    const [first, ...partials] = run.feedback
    expect(statuses([first])).toEqual(['processing'])
    expect(partials.length).toBeGreaterThan(0)
    for (const p of partials) {
      expect(statuses([p])).toEqual(['partial'])
      expect(ANSWER.startsWith(p.content) && p.content.length > 0).toBe(true)
    }
    const result = run.result!
    expect(result).toMatchObject({ kind: 6050, pubkey: dvm.pubkey, content: '```python\n' + CODE + '\n```' })
    expect(JSON.parse(tagsNamed(result, 'request')[0][1])).toEqual(JSON.parse(JSON.stringify(run.request)))
    expect(tagsNamed(result, 'e')).toEqual([['e', run.request.id]])
    expect(tagsNamed(result, 'p')).toEqual([['p', customer.pk]])
    expect(tagsNamed(result, 'i')).toEqual([['i', 'add two numbers', 'text']])
    expect(tagsNamed(result, 'amount')).toEqual([['amount', '5000']])
    expect(tagsNamed(result, 'expiration')).toEqual([])
    const [body] = sent()
    expect(body).toMatchObject({ model: 'fake-coder-large', max_tokens: 300, temperature: 0.1, stream: true })
    expect(body.messages).toHaveLength(2)
    expect(body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('python code in one fenced code block') })
    expect(body.messages[1]).toEqual({ role: 'user', content: 'add two numbers' })
  })

  it('answers the bare code for a code output type, and max_tokens at its cap by default', async () => {
    const run = await job([['i', 'add two numbers', 'text'], ['output', 'text/x-python'], ['bid', '9000']])
    expect(run.result?.content).toBe(CODE)
    expect(sent()[0]).toMatchObject({ model: 'fake-coder', max_tokens: 2048 })
  })

  it('asks for payment when the bid is below its price, without calling the model', async () => {
    for (const bid of [[['bid', '4999']], []]) {
      const run = await job([['i', 'add two numbers', 'text'], ...bid])
      expect(run.result).toBeUndefined()
      expect(run.feedback.map((f) => [f.tags.find((t) => t[0] === 'status'), f.tags.find((t) => t[0] === 'amount')])).toEqual([[['status', 'payment-required'], ['amount', '5000']]])
    }
    expect(sent()).toEqual([])
  })

  it('answers an encrypted request (NIP-04) encrypted, partials included, and keeps the inputs out of the clear', async () => {
    const hidden = [['i', 'add two numbers', 'text'], ['param', 'language', 'python']]
    const run = await customer.run(await customer.signEncrypted(5050, dvm.pubkey, hidden, 'nip04', [['bid', '5000']]))
    const result = run.result!
    expect(result.content).toMatch(/\?iv=/)
    expect(customer.read(result)).toBe('```python\n' + CODE + '\n```')
    expect(tagsNamed(result, 'encrypted')).toEqual([['encrypted']])
    expect(tagsNamed(result, 'i')).toEqual([])
    const partials = run.feedback.filter((f) => statuses([f])[0] === 'partial')
    expect(partials.length).toBeGreaterThan(0)
    for (const p of partials) expect(ANSWER.startsWith(customer.read(p))).toBe(true)
    expect(sent()[0].messages[1]).toEqual({ role: 'user', content: 'add two numbers' })
  })

  it('ends in error feedback with a clear message: unsupported param, bad value, back-end failure', async () => {
    const errorOf = async (tags: string[][]) => {
      const run = await job([['i', 'add two numbers', 'text'], ['bid', '5000'], ...tags])
      expect(run.result).toBeUndefined()
      expect(statuses(run.feedback)).toEqual(['processing', 'error'])
      return run.feedback[1].tags.find((t) => t[0] === 'status')![2]
    }
    expect(await errorOf([['param', 'lora', 'x']])).toMatch(/^unsupported param "lora"; this DVM understands model, max_tokens/)
    expect(await errorOf([['param', 'max_tokens', '99999']])).toBe('param max_tokens: expected a whole number from 1 to 2048, got "99999"')
    expect(await errorOf([['output', 'image/png']])).toMatch(/^output image\/png is not offered/)
    expect(sent()).toEqual([])
    platform.fake().chat = () => ({ status: 500, error: 'GPU on fire' })
    expect(await errorOf([])).toBe('the model back-end answered 500: GPU on fire')
  })
})
