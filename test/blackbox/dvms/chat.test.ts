/** The chat DVM end to end: conversations, encryption, url and event inputs, a back-end that hangs. */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Customer } from '../../../dvms/testing/customer'
import { closedOrigin } from '../../../dvms/testing/fake-openai'
import { statuses, tagsNamed, useDvmPlatform, type Event } from './harness'

const platform = useDvmPlatform((fake) => ({
  ...fake.vars('CHAT', { MODEL: 'fake-chat', TIMEOUT: '2' }),
  DVM_MAX_INPUT_BYTES: '4096',
  DVM_FETCH_TIMEOUT: '2',
}))

describe('chat DVM', () => {
  let alice: Customer
  let dvm: Event
  beforeAll(async () => {
    alice = await platform.customer()
    dvm = await alice.findDvm(5050, 'OANIX chat')
    platform.fake().files.set('notes.md', { body: '# Meeting notes\nShip on Friday.', type: 'text/markdown' })
    platform.fake().files.set('huge.txt', { body: 'z'.repeat(10_000), type: 'text/plain' })
  })
  beforeEach(() => {
    platform.fake().requests.length = 0
    platform.fake().chat = (body) => ({ reply: `Answer to: ${body.messages.at(-1).content}` })
  })
  const sent = () => platform.fake().requestsTo('/v1/chat/completions').map((r) => r.body)
  const errorOf = (run: { feedback: Event[] }) => run.feedback.find((f) => statuses([f])[0] === 'error')?.tags.find((t) => t[0] === 'status')?.[2]

  it('answers a prompt, streaming partials, with the model and params the request gives', async () => {
    platform.fake().chat = () => ({ reply: 'Paris is the capital of France, and has been for a long time.' })
    const run = await alice.run(alice.sign(5050, [['i', 'Capital of France?', 'text'], ['param', 'max_tokens', '128'], ['param', 'top-p', '0.7']]))
    expect(statuses(run.feedback)[0]).toBe('processing')
    expect(statuses(run.feedback).slice(1).every((s) => s === 'partial')).toBe(true)
    expect(run.feedback.length).toBeGreaterThan(1)
    expect(run.result).toMatchObject({ kind: 6050, pubkey: dvm.pubkey, content: 'Paris is the capital of France, and has been for a long time.' })
    expect(tagsNamed(run.result!, 'e')).toEqual([['e', run.request.id]])
    expect(tagsNamed(run.result!, 'amount')).toEqual([])
    expect(sent()).toEqual([{ model: 'fake-chat', messages: [{ role: 'user', content: 'Capital of France?' }], stream: true, max_tokens: 128, top_p: 0.7 }])
  })

  it("keeps the conversation across the customer's earlier jobs, and refuses another customer's", async () => {
    const first = await alice.run(alice.sign(5050, [['i', 'My name is Alice.', 'text']]))
    const second = await alice.run(alice.sign(5050, [['i', 'What is my name?', 'text'], ['i', first.request.id, 'job']]))
    expect(second.result?.content).toBe('Answer to: What is my name?')
    expect(sent()[1].messages).toEqual([
      { role: 'user', content: 'My name is Alice.' },
      { role: 'assistant', content: 'Answer to: My name is Alice.' },
      { role: 'user', content: 'What is my name?' },
    ])
    const third = await alice.run(alice.sign(5050, [['i', 'And again?', 'text'], ['i', second.request.id, 'job']]))
    expect(sent()[2].messages.map((m: { content: string }) => m.content)).toEqual([
      'My name is Alice.', 'Answer to: My name is Alice.', 'What is my name?', 'Answer to: What is my name?', 'And again?',
    ])
    expect(third.result).toBeDefined()
    const mallory = await platform.customer()
    const stolen = await mallory.run(mallory.sign(5050, [['i', 'Tell me more', 'text'], ['i', first.request.id, 'job']]))
    expect(stolen.result).toBeUndefined()
    expect(errorOf(stolen)).toBe(`job input ${first.request.id} is another customer's: a conversation continues only your own jobs`)
    expect(sent()).toHaveLength(3)
  })

  it('answers NIP-44 encrypted requests encrypted, and continues an encrypted conversation', async () => {
    const first = await alice.run(await alice.signEncrypted(5050, dvm.pubkey, [['i', 'Secret: the code is 42.', 'text']], 'nip44'))
    expect(first.result!.content).not.toContain('the code is')
    expect(alice.read(first.result!)).toBe('Answer to: Secret: the code is 42.')
    expect(tagsNamed(first.result!, 'i')).toEqual([])
    const second = await alice.run(await alice.signEncrypted(5050, dvm.pubkey, [['i', 'What is the code?', 'text'], ['i', first.request.id, 'job']], 'nip44'))
    expect(alice.read(second.result!)).toBe('Answer to: What is the code?')
    expect(sent()[1].messages[0]).toEqual({ role: 'user', content: 'Secret: the code is 42.' })
  })

  it('reads url inputs over HTTP and event inputs through the relay', async () => {
    const note = alice.sign(1, [], 'Remember the milk.')
    await alice.relay.publish(note)
    const run = await alice.run(alice.sign(5050, [
      ['i', 'Summarize these.', 'text'], ['i', `${platform.fake().origin}/files/notes.md`, 'url'], ['i', note.id, 'event'],
    ]))
    expect(run.result).toBeDefined()
    expect(sent()[0].messages).toEqual([{
      role: 'user',
      content: `Summarize these.\n\n--- url ${platform.fake().origin}/files/notes.md ---\n# Meeting notes\nShip on Friday.\n\n--- event ${note.id} ---\nRemember the milk.`,
    }])
  })

  it('ends in error feedback for an oversized, unreachable or missing input, without calling the model', async () => {
    const huge = `${platform.fake().origin}/files/huge.txt`
    expect(errorOf(await alice.run(alice.sign(5050, [['i', 'Read this', 'text'], ['i', huge, 'url']])))).toBe(`url input ${huge} is larger than 4087 bytes`)
    const closed = `${await closedOrigin()}/notes.md`
    expect(errorOf(await alice.run(alice.sign(5050, [['i', closed, 'url']])))).toBe(`url input ${closed} is unreachable`)
    expect(errorOf(await alice.run(alice.sign(5050, [['i', 'x'.repeat(5000), 'text']])))).toBe('input too large: the inputs together may be at most 4096 bytes')
    const missing = 'ab'.repeat(32)
    expect(errorOf(await alice.run(alice.sign(5050, [['i', 'Read', 'text'], ['i', missing, 'event']])))).toBe(`event input ${missing} was not found`)
    expect(sent()).toEqual([])
  })

  it('ends in error feedback when the back-end hangs past its timeout', async () => {
    platform.fake().chat = () => ({ hang: true })
    const run = await alice.run(alice.sign(5050, [['i', 'Are you there?', 'text']]))
    expect(statuses(run.feedback)).toEqual(['processing', 'error'])
    expect(errorOf(run)).toBe('the model back-end sent nothing for 2 s')
  })
})
