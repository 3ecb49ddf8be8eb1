/**
 * An agent on one machine mounts a namespace served at the edge and edits it with plain file
 * operations, each one a signed Nostr event to the fs-bridge; the owner then reads who did what.
 * Run against a local platform (npm start): npx tsx sdk/examples/remote-namespace.ts ws://127.0.0.1:8787
 */
import { generateSecretKey } from 'nostr-tools/pure'
import { appendFile, bridgeInfo, httpOriginOf, MemFs, Namespace, putNamespace, readText, RemoteFs, SecretKeySigner, writeFile } from 'oanix-sdk'
import { WebSocket } from 'oanix-sdk/node'

export async function remoteNamespace(relay: string, log: (line: string) => void = console.log): Promise<void> {
  const platform = httpOriginOf(relay) // the same host, over HTTP
  const { pubkey: bridge } = await bridgeInfo(platform)
  const owner = new SecretKeySigner(generateSecretKey())
  const agent = new SecretKeySigner(generateSecretKey())
  const id = `demo-${Date.now().toString(36)}`

  // The owner makes a namespace with a workspace and lets the agent read and write it.
  await putNamespace(platform, owner, id, [{ path: '/workspace', service: 'mem' }])
  const admin = new RemoteFs({ bridge, ns: id, nostr: { signer: owner, relays: [relay], WebSocket } })
  await admin.grant(agent.pubkey, [{ path: '/workspace', rights: 'rw' }])

  // The agent mounts it beside local scratch space and uses nothing but files.
  const remote = new RemoteFs({ bridge, ns: id, nostr: { signer: agent, relays: [relay], WebSocket } })
  const ns = Namespace.builder().mount('/tmp', new MemFs()).mount('/remote', remote).build()
  await writeFile(ns, '/remote/workspace/notes.md', '# Notes\n')
  await appendFile(ns, '/remote/workspace/notes.md', '- edited from another machine\n')
  await ns.rename('/remote/workspace/notes.md', '/remote/workspace/README.md')
  log(await readText(ns, '/remote/workspace/README.md'))

  // The owner reads the audit journal, a file only the owner may read: who did what.
  const journal = (await readText(admin, '/logs/audit.jsonl')).trim().split('\n').map((line) => JSON.parse(line))
  for (const e of journal) {
    const who = e.pubkey === agent.pubkey ? 'agent' : e.pubkey === owner.pubkey ? 'owner' : e.pubkey.slice(0, 8)
    log(`${who} ${e.op} ${e.path}${e.to ? ` -> ${e.to}` : ''} ${e.allowed ? 'allowed' : `refused ${e.code}`}`)
  }
  await Promise.all([remote.close(), admin.close()])
}

if (import.meta.url === `file://${process.argv[1]}`) await remoteNamespace(process.argv[2] ?? 'ws://127.0.0.1:8787')
