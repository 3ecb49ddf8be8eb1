/**
 * Captures one real job per DVM, customer request and DVM result, from the platform under
 * `wrangler dev` with the fake OpenAI-compatible back-end, as Markdown for dvms/TRANSCRIPTS.md:
 *
 *   npx tsx dvms/testing/transcripts.ts > dvms/TRANSCRIPTS.md
 */
import { startRelay } from '../../test/blackbox/platform'
import { Customer, statusOf, type Event, type JobRun } from './customer'
import { startFakeOpenAi } from './fake-openai'

/** An event as JSON, one tag per line. */
const json = (e: Event) => {
  const tags = e.tags.map((t) => `    ${JSON.stringify(t)}`).join(',\n')
  return '```json\n' + JSON.stringify({ ...e, tags: '@tags' }, null, 2).replace('"@tags"', `[\n${tags}\n  ]`) + '\n```'
}

const fake = await startFakeOpenAi()
fake.chat = (body) =>
  String(body.messages[0]?.content).includes('code generator')
    ? { reply: 'Here it is:\n\n```python\ndef fizzbuzz(n):\n    for i in range(1, n + 1):\n        print("Fizz" * (i % 3 == 0) + "Buzz" * (i % 5 == 0) or i)\n```\n' }
    : { reply: 'The capital of France is Paris.' }
const relay = await startRelay((port) => ({
  ...fake.vars('CODEGEN', { MODEL: 'fake-coder' }),
  ...fake.vars('CHAT', { MODEL: 'fake-chat' }),
  ...fake.vars('IMAGE', { MODEL: 'fake-image' }),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
}))
const customer = await Customer.connect(relay.url)
try {
  const codegen = (await customer.findDvm(5050, 'OANIX code generator')).pubkey
  const chat = (await customer.findDvm(5050, 'OANIX chat')).pubkey
  const image = (await customer.findDvm(5100, 'OANIX image generator')).pubkey
  const jobs: Array<[string, Event, string]> = [
    ['Code generation (kind 5050)', customer.sign(5050, [['i', 'FizzBuzz up to n', 'text'], ['param', 'language', 'python'], ['param', 'max_tokens', '256'], ['p', codegen]]), '/v1/chat/completions'],
    ['Chat (kind 5050)', customer.sign(5050, [['i', 'What is the capital of France?', 'text'], ['param', 'temperature', '0.2'], ['p', chat]]), '/v1/chat/completions'],
    ['Image generation (kind 5100)', customer.sign(5100, [['i', 'A purple ostrich watching the sunset', 'text'], ['param', 'size', '128x96'], ['param', 'negative_prompt', 'people'], ['p', image]]), '/v1/images/generations'],
  ]
  console.log('# DVM transcripts\n')
  console.log('Captured by `npx tsx dvms/testing/transcripts.ts` from the platform under `wrangler dev`, each DVM on the fake')
  console.log('OpenAI-compatible back-end of dvms/testing/fake-openai.ts, the customer a nostr-tools client (dvms/testing/customer.ts).\n')
  for (const [title, request, endpoint] of jobs) {
    fake.requests.length = 0
    const run: JobRun = await customer.run(request)
    if (!run.result) throw new Error(`${title}: no result, feedback ${JSON.stringify(run.feedback.map((f) => f.tags))}`)
    console.log(`## ${title}\n\nRequest:\n\n${json(run.request)}\n`)
    console.log(`What the DVM sent the back-end (POST ${endpoint}):\n\n${'```json'}\n${JSON.stringify(fake.requestsTo(endpoint)[0].body)}\n${'```'}\n`)
    console.log(`Feedback (kind 7000), in order: ${run.feedback.map(statusOf).join(', ')}\n\nResult:\n\n${json(run.result)}\n`)
    if (request.kind === 5100) {
      const res = await fetch(run.result.content)
      const same = Buffer.from(await res.arrayBuffer()).equals(Buffer.from(fake.images.at(-1)!))
      console.log(`GET ${run.result.content} → ${res.status} ${res.headers.get('content-type')}, ${same ? 'byte-identical to' : 'DIFFERENT from'} the back-end's image.\n`)
    }
  }
} finally {
  customer.close()
  await relay.stop()
  await fake.stop()
}
