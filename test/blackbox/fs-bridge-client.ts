/**
 * A client of the fs-bridge built on nothing but nostr-tools and a raw WebSocket: NIP-42 to the
 * relay, NIP-44 requests (25930) to the bridge's key, answers (25931) and notifications (25932)
 * read from its subscription, and NIP-98 for the bridge's HTTP API.
 */
import { randomUUID } from 'node:crypto'
import { nip44 } from 'nostr-tools'
import { makeAuthEvent } from 'nostr-tools/nip42'
import { getToken } from 'nostr-tools/nip98'
import { finalizeEvent, generateSecretKey, getPublicKey, type Event, type EventTemplate } from 'nostr-tools/pure'
import { RawClient } from './raw-client'

export const now = () => Math.floor(Date.now() / 1000)
export const b64 = (text: string) => Buffer.from(text).toString('base64')
export const unb64 = (data: string) => Buffer.from(data, 'base64').toString()
export const uniqueNs = (prefix = 'bb') => `${prefix}-${randomUUID().slice(0, 8)}`

export type Body = { ok: true; result: Record<string, any> } | { ok: false; error: { code: string; message: string } }

export class FsClient {
  readonly pk: string
  private nonce = 0

  private constructor(
    readonly sk: Uint8Array,
    readonly relay: RawClient,
    readonly bridge: string,
    readonly httpUrl: string,
  ) {
    this.pk = getPublicKey(sk)
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
    await relay.subscribe('fs', { kinds: [25931, 25932], '#p': [client.pk] })
    return client
  }

  /** A signed request; `edit` changes the template before signing. */
  request(body: Record<string, unknown>, edit: (t: EventTemplate) => void = () => {}): Event {
    const content = nip44.encrypt(JSON.stringify({ v: 1, ...body }), nip44.getConversationKey(this.sk, this.bridge))
    const template: EventTemplate = { kind: 25930, created_at: now(), content, tags: [['p', this.bridge], ['expiration', String(now() + 60)], ['nonce', String(++this.nonce)]] }
    edit(template)
    return finalizeEvent(template, this.sk)
  }

  async answer(id: string, timeoutMs?: number): Promise<{ event: Event; body: Body }> {
    const f = await this.relay.next((x) => x[0] === 'EVENT' && x[1] === 'fs' && x[2].kind === 25931 && x[2].tags.some((t: string[]) => t[0] === 'e' && t[1] === id), timeoutMs)
    return { event: f[2], body: JSON.parse(this.decrypt(f[2])) }
  }

  async notification(watchId: string, timeoutMs?: number): Promise<{ seq: number; changes: Array<Record<string, any>>; closed?: string }> {
    const f = await this.relay.next((x) => x[0] === 'EVENT' && x[1] === 'fs' && x[2].kind === 25932 && x[2].tags.some((t: string[]) => t[0] === 'e' && t[1] === watchId), timeoutMs)
    return JSON.parse(this.decrypt(f[2]))
  }

  decrypt(event: Event): string {
    return nip44.decrypt(event.content, nip44.getConversationKey(this.sk, this.bridge))
  }

  async call(op: string, ns: string, path: string, args?: Record<string, unknown>): Promise<Body> {
    const event = this.request({ op, ns, path, ...(args ? { args } : {}) })
    const [accepted, message] = await this.relay.publish(event)
    if (!accepted) throw new Error(`relay refused the request: ${message}`)
    return (await this.answer(event.id)).body
  }

  async ok(op: string, ns: string, path: string, args?: Record<string, unknown>): Promise<Record<string, any>> {
    const body = await this.call(op, ns, path, args)
    if (!body.ok) throw new Error(`${op} ${path}: ${body.error.code} ${body.error.message}`)
    return body.result
  }

  async code(op: string, ns: string, path: string, args?: Record<string, unknown>): Promise<string> {
    const body = await this.call(op, ns, path, args)
    return body.ok ? 'ok' : body.error.code
  }

  write(ns: string, path: string, text: string, args: Record<string, unknown> = { create: true, truncate: true }) {
    return this.ok('write', ns, path, { data_b64: b64(text), ...args })
  }

  async read(ns: string, path: string): Promise<string> {
    return unb64((await this.ok('read', ns, path)).data_b64)
  }

  /** Publishes an event of this key's; the relay must accept it. */
  async publish(template: Partial<EventTemplate> & { kind: number }): Promise<Event> {
    const event = finalizeEvent({ content: '', tags: [], created_at: now(), ...template }, this.sk)
    const [accepted, message] = await this.relay.publish(event)
    if (!accepted) throw new Error(`relay refused kind ${template.kind}: ${message}`)
    return event
  }

  grant(d: string, grantee: string, ns: string, allow: Array<[string, string]>, extra: string[][] = []): Promise<Event> {
    return this.publish({ kind: 35931, tags: [['d', d], ['p', grantee], ['ns', ns], ...allow.map(([p, r]) => ['allow', p, r]), ...extra] })
  }

  /** The bridge's HTTP API with a NIP-98 header (nostr-tools' getToken). */
  async http(method: string, path: string, payload?: Record<string, unknown>): Promise<Response> {
    const url = `${this.httpUrl}${path}`
    const token = await getToken(url, method, (e) => finalizeEvent(e, this.sk), true, payload)
    return fetch(url, { method, headers: { Authorization: token }, body: payload === undefined ? undefined : JSON.stringify(payload) })
  }

  async createNamespace(id: string, mounts: Array<{ path: string; service: string; mode?: string }>): Promise<void> {
    const res = await this.http('PUT', `/fs/namespaces/${id}`, { mounts })
    if (res.status !== 200) throw new Error(`PUT /fs/namespaces/${id}: ${res.status} ${await res.text()}`)
  }

  close(): Promise<void> {
    return this.relay.close()
  }
}
