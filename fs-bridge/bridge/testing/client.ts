/**
 * A client of the bridge inside the Workers runtime, for the bridge's tests: a relay socket
 * authenticated (NIP-42) as its key, NIP-44 requests to the bridge, answers read from the relay,
 * and the HTTP API signed with NIP-98. Real parts throughout: relay, bridge, services. Requests
 * and calls are caller.ts's, shared with the black-box client.
 */
import { env, SELF } from 'cloudflare:test'
import { finalizeEvent, generateSecretKey, type Event } from 'nostr-tools/pure'
import { SecretKeySigner } from '../../../sdk/nostr/signer'
import { httpAuthHeader } from '../../../sdk/services/edge/nip98'
import { NOTIFICATION_KIND, RESPONSE_KIND } from '../../../sdk/services/remote/protocol'
import { TestSocket } from '../../../test/workers/socket'
import type { BridgeEnv } from '../env'
import { BRIDGE_NAME } from '../env'
import { BridgeCaller, seconds } from './caller'

export { seconds }
export const BASE = 'http://relay.test'
export const bridgeStub = () => {
  const ns = (env as unknown as BridgeEnv).FS_BRIDGE
  return ns.get(ns.idFromName(BRIDGE_NAME))
}

let bridgeKey: string | undefined
export async function bridgePubkey(): Promise<string> {
  bridgeKey ??= ((await (await SELF.fetch(`${BASE}/fs`)).json()) as { pubkey: string }).pubkey
  return bridgeKey
}

export class BridgeClient extends BridgeCaller {
  private lastPublished = 0

  private constructor(
    sk: Uint8Array,
    readonly socket: TestSocket,
    bridge: string,
  ) {
    super(sk, bridge)
  }

  /** A client with a new key (or `sk`), authenticated and subscribed to its answers. */
  static async open(sk = generateSecretKey()): Promise<BridgeClient> {
    const socket = await TestSocket.open()
    const [, challenge] = await socket.next((f) => f[0] === 'AUTH')
    const auth = finalizeEvent({ kind: 22242, created_at: seconds(), content: '', tags: [['relay', 'ws://relay.test/'], ['challenge', challenge as string]] }, sk)
    socket.send(['AUTH', auth])
    const ok = await socket.next((f) => f[0] === 'OK' && f[1] === auth.id)
    if (ok[2] !== true) throw new Error(`AUTH refused: ${ok[3]}`)
    const client = new BridgeClient(sk, socket, await bridgePubkey())
    socket.send(['REQ', 'answers', { kinds: [RESPONSE_KIND, NOTIFICATION_KIND], '#p': [client.pubkey] }])
    await socket.next((f) => f[0] === 'EOSE' && f[1] === 'answers')
    return client
  }

  protected async relayPublish(event: Event): Promise<{ accepted: boolean; message: string }> {
    const ok = await this.socket.publish(event)
    return { accepted: ok[2] === true, message: String(ok[3]) }
  }

  protected async nextEvent(match: (event: Event) => boolean, timeoutMs?: number): Promise<Event> {
    return (await this.socket.next((f) => f[0] === 'EVENT' && match(f[2] as Event), timeoutMs))[2] as Event
  }

  /**
   * Times only move forward, so a grant replaced within the same second still replaces (NIP-01
   * keeps the lower id on a tie).
   */
  async publish(template: { kind: number; tags?: string[][]; content?: string; created_at?: number }): Promise<Event> {
    this.lastPublished = Math.max(seconds(), this.lastPublished + 1)
    const event = finalizeEvent({ content: '', tags: [], created_at: this.lastPublished, ...template }, this.sk)
    const { accepted, message } = await this.relayPublish(event)
    if (!accepted) throw new Error(`relay refused kind ${template.kind}: ${message}`)
    return event
  }

  /** An HTTP call to the bridge's API, signed with NIP-98 by the SDK. */
  async http(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${BASE}${path}`
    const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body))
    const headers: Record<string, string> = { Authorization: await httpAuthHeader(new SecretKeySigner(this.sk), url, method, bytes) }
    return SELF.fetch(url, { method, headers, body: bytes })
  }

  close() {
    this.socket.close()
  }
}

export const uniqueNs = (prefix = 'ns') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`
