/** A whole DVM: says a text-generation prompt back word by word. Run: npx tsx sdk/examples/echo-dvm.ts ws://127.0.0.1:8787 */
import { defineDvm, JobError, SecretKeySigner } from 'oanix-sdk'
import { runDvm } from 'oanix-sdk/node'
import { generateSecretKey } from 'nostr-tools/pure'

export const echo = defineDvm({
  kinds: [5050],
  info: { name: 'echo', about: 'Says your prompt back, word by word.' },
  async handle(job, ctx) {
    const prompt = job.inputs.find((i) => i.type === 'text')?.data
    if (!prompt) throw new JobError('send a text input')
    let said = ''
    for (const word of prompt.split(/\s+/)) {
      said = said ? `${said} ${word}` : word
      await ctx.partial(said) // throttled by the runtime
    }
    return said
  },
})

if (import.meta.url === `file://${process.argv[1]}`) {
  const signer = new SecretKeySigner(process.env.OANIX_SECRET_KEY ?? generateSecretKey())
  const dvm = await runDvm(echo, { relays: process.argv.slice(2), signer })
  console.log(`echo DVM ${dvm.pubkey} is listening`)
}
