/** The image-generation DVM end to end: the image stored in R2 and served back from /blobs/ byte for byte. */
import { createHash } from 'node:crypto'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Customer } from '../../../dvms/testing/customer'
import { statuses, tagsNamed, useDvmPlatform, type Event } from './harness'

const platform = useDvmPlatform((fake, port) => ({ ...fake.vars('IMAGE', { MODEL: 'fake-image' }), PUBLIC_URL: `http://127.0.0.1:${port}` }))

describe('image generation DVM', () => {
  let customer: Customer
  let dvm: Event
  beforeAll(async () => {
    customer = await platform.customer()
    dvm = await customer.findDvm(5100, 'OANIX image generator')
  })
  beforeEach(() => {
    platform.fake().requests.length = 0
  })
  const job = (tags: string[][]) => customer.run(customer.sign(5100, [...tags, ['p', dvm.pubkey]]))
  const sent = () => platform.fake().requestsTo('/v1/images/generations').map((r) => r.body)

  /** The result links to the image on this platform, and the link serves exactly the bytes the back-end made. */
  async function expectServed(result: Event) {
    const made = platform.fake().images.at(-1)!
    const sha256 = createHash('sha256').update(made).digest('hex')
    expect(result.content).toBe(`${platform.instance().httpUrl}/blobs/${sha256}.png`)
    expect(tagsNamed(result, 'x')).toEqual([['x', sha256]])
    expect(tagsNamed(result, 'm')).toEqual([['m', 'image/png']])
    const res = await fetch(result.content)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(made))).toBe(true)
  }

  it('paints: the size from the ratio, the negative prompt folded in, the image stored and served from /blobs/', async () => {
    platform.fake().image = () => ({ format: 'b64_json' })
    const run = await job([['i', 'A purple ostrich watching the sunset', 'text'], ['param', 'ratio', '16:9'], ['param', 'negative_prompt', 'blur']])
    expect(statuses(run.feedback)).toEqual(['processing'])
    expect(run.result).toMatchObject({ kind: 6100, pubkey: dvm.pubkey })
    expect(tagsNamed(run.result!, 'i')).toEqual([['i', 'A purple ostrich watching the sunset', 'text']])
    expect(tagsNamed(run.result!, 'expiration')).toEqual([])
    expect(sent()).toEqual([{ model: 'fake-image', prompt: 'A purple ostrich watching the sunset\n\nAvoid: blur', n: 1, size: '1024x576' }])
    await expectServed(run.result!)
  })

  it('stores an image the back-end gives as a link, at the exact size asked', async () => {
    platform.fake().image = () => ({ format: 'url' })
    const run = await job([['i', 'A red fox', 'text'], ['param', 'size', '96x64'], ['param', 'ratio', '1:1']])
    expect(sent()[0].size).toBe('96x64')
    await expectServed(run.result!)
  })

  it('ends in error feedback for params it does not have, outputs it cannot give and a failing back-end', async () => {
    const errorOf = async (tags: string[][]) => (await job([['i', 'A red fox', 'text'], ...tags])).feedback.at(-1)!.tags.find((t) => t[0] === 'status')
    expect(await errorOf([['param', 'lora', 'pixel-art']])).toEqual(['status', 'error', 'unsupported param "lora"; this DVM understands model, size, ratio, negative_prompt'])
    expect(await errorOf([['param', 'size', '9000x10']])).toEqual(['status', 'error', 'param size: expected WIDTHxHEIGHT, each side from 64 to 2048, got "9000x10"'])
    expect(await errorOf([['output', 'application/pdf']])).toEqual(['status', 'error', expect.stringMatching(/^output application\/pdf is not offered/)])
    expect(sent()).toEqual([])
    platform.fake().image = () => ({ status: 400, error: 'Your prompt was rejected by the safety system.' })
    expect(await errorOf([])).toEqual(['status', 'error', 'the model back-end answered 400: Your prompt was rejected by the safety system.'])
  })
})
