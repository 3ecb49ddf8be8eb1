/** An agent asking for a job with nothing but file operations. Run: npx tsx sdk/examples/agent-job.ts ws://127.0.0.1:8787 "a haiku" */
import { Namespace, NostrFs, SecretKeySigner, readJson, readText, writeFile } from 'oanix-sdk'
import { WebSocket } from 'oanix-sdk/node'
import { generateSecretKey } from 'nostr-tools/pure'

export async function ask(relays: string[], prompt: string): Promise<string> {
  const nostr = await NostrFs.create({ signer: new SecretKeySigner(generateSecretKey()), relays, WebSocket })
  const ns = Namespace.builder().mount('/cap/nostr', nostr).build()
  try {
    await writeFile(ns, '/cap/nostr/request', JSON.stringify({ kind: 5050, input: prompt }))
    const job = `/cap/nostr/jobs/${await readText(ns, '/cap/nostr/request')}`
    for (let status = ''; status !== 'success'; status = await readText(ns, `${job}/status`)) {
      if (status === 'error') throw new Error('the DVM failed')
      await new Promise((wait) => setTimeout(wait, 100))
    }
    const [provider] = await ns.readdir(`${job}/results`)
    return (await readJson<{ content: string }>(ns, `${job}/results/${provider.name}`)).content
  } finally {
    nostr.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await ask([process.argv[2]], process.argv[3]))
