/**
 * A client of the fs-bridge over a raw WebSocket from Node: NIP-42 to the relay, NIP-44 requests
 * (25930) to the bridge's key, answers (25931) and notifications (25932) read from its
 * subscription, and NIP-98 for the bridge's HTTP API by nostr-tools. Requests and calls are the
 * bridge's test caller's (fs-bridge/bridge/testing/caller.ts), which speaks the SDK's wire format.
 */
import { randomUUID } from 'node:crypto'
import { makeAuthEvent } from 'nostr-tools/nip42'
import { getToken } from 'nostr-tools/nip98'
import { finalizeEvent, generateSecretKey, type Event, type EventTemplate } from 'nostr-tools/pure'
import { BridgeCaller } from '../../fs-bridge/bridge/testing/caller'
import { NOTIFICATION_KIND, RESPONSE_KIND } from '../../sdk/services/remote/protocol'
import { RawClient } from './raw-client'

export const now = () => Math.floor(Date.now() / 1000)
export const b64 = (text: string) => Buffer.from(text).toString('base64')
export const uniqueNs = (prefix = 'bb') => `${prefix}-${randomUUID().slice(0, 8)}`

export class FsClient extends BridgeCaller {
  private constructor(
    sk: Uint8Array,
    readonly relay: RawClient,
    bridge: string,
    readonly httpUrl: string,
  ) {
    super(sk, bridge)
  }

  static async bridgeKey(httpUrl: string): Promise<string> {
    return ((await (await fetch(`${httpUrl}/fs`)).json()) as { pubkey: string }).pubkey
  }

  /** Connected, authenticated as a new key (or `sk`), subscribed to what the bridge sends it. */
  static async connect(url: string, httpUrl: string, sk = generateSecretKey()): Promise<FsClient> {
    const relay = await RawClient.connect(url)
    const [ok, message] = await relay.auth(finalizeEvent(makeAuthEvent(url, relay.challenge), sk))
    if (!ok) throw new Error(`AUTH refused: ${message}`)
    const client = new FsClient(sk, relay, await FsClient.bridgeKey(httpUrl), httpUrl)
    await relay.subscribe('fs', { kinds: [RESPONSE_KIND, NOTIFICATION_KIND], '#p': [client.pubkey] })
    return client
  }

  protected async relayPublish(event: Event): Promise<{ accepted: boolean; message: string }> {
    const [accepted, message] = await this.relay.publish(event)
    return { accepted, message }
  }

  protected async nextEvent(match: (event: Event) => boolean, timeoutMs?: number): Promise<Event> {
    return (await this.relay.next((x) => x[0] === 'EVENT' && x[1] === 'fs' && match(x[2]), timeoutMs))[2]
  }

  async publish(template: Partial<EventTemplate> & { kind: number }): Promise<Event> {
    const event = finalizeEvent({ content: '', tags: [], created_at: now(), ...template }, this.sk)
    const { accepted, message } = await this.relayPublish(event)
    if (!accepted) throw new Error(`relay refused kind ${template.kind}: ${message}`)
    return event
  }

  /** The bridge's HTTP API with a NIP-98 header (nostr-tools' getToken). */
  async http(method: string, path: string, payload?: Record<string, unknown>): Promise<Response> {
    const url = `${this.httpUrl}${path}`
    const token = await getToken(url, method, (e) => finalizeEvent(e, this.sk), true, payload)
    return fetch(url, { method, headers: { Authorization: token }, body: payload === undefined ? undefined : JSON.stringify(payload) })
  }

  close(): Promise<void> {
    return this.relay.close()
  }
}
