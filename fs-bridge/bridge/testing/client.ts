/**
 * A client of the bridge inside the Workers runtime, for the bridge's tests: a relay socket
 * authenticated (NIP-42) as its key, NIP-44 requests to the bridge, answers read from the relay,
 * and the HTTP API signed with NIP-98. Real parts throughout: relay, bridge, services.
 */
import { env, SELF } from 'cloudflare:test'
import { nip44 } from 'nostr-tools'
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure'
import { base64ToBytes, bytesToBase64, toText } from '../../../sdk/fs/io'
import { SecretKeySigner } from '../../../sdk/nostr/signer'
import { httpAuthHeader } from '../../../sdk/services/edge/nip98'
import { TestSocket } from '../../../test/workers/socket'
import type { BridgeEnv } from '../env'
import { BRIDGE_NAME } from '../env'
import type { ResponseBody } from '../protocol/response'

export const BASE = 'http://relay.test'
export const seconds = () => Math.floor(Date.now() / 1000)
export const bridgeStub = () => {
  const ns = (env as unknown as BridgeEnv).FS_BRIDGE
  return ns.get(ns.idFromName(BRIDGE_NAME))
}

let bridgeKey: string | undefined
export async function bridgePubkey(): Promise<string> {
  bridgeKey ??= ((await (await SELF.fetch(`${BASE}/fs`)).json()) as { pubkey: string }).pubkey
  return bridgeKey
}

export interface Answer {
  event: Event
  body: ResponseBody
}

export class BridgeClient {
  readonly pubkey: string
  private serial = 0

  private constructor(
    readonly sk: Uint8Array,
    readonly socket: TestSocket,
    readonly bridge: string,
  ) {
    this.pubkey = getPublicKey(sk)
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
    socket.send(['REQ', 'answers', { kinds: [25931, 25932], '#p': [client.pubkey] }])
    await socket.next((f) => f[0] === 'EOSE' && f[1] === 'answers')
    return client
  }

  /** A signed request; `edit` may change the template before signing (attacks). */
  requestEvent(body: Record<string, unknown>, edit: (t: { kind: number; created_at: number; tags: string[][]; content: string }) => void = () => {}): Event {
    const content = nip44.encrypt(JSON.stringify({ v: 1, ...body }), nip44.getConversationKey(this.sk, this.bridge))
    const template = { kind: 25930, created_at: seconds(), tags: [['p', this.bridge], ['expiration', String(seconds() + 60)]], content }
    // Distinct ids for identical requests sent in the same second.
    template.tags.push(['nonce', String(++this.serial)])
    edit(template)
    return finalizeEvent(template, this.sk)
  }

  /** Publishes a request (the relay's OK must be true) without waiting for the answer. */
  async send(event: Event): Promise<void> {
    const ok = await this.socket.publish(event)
    if (ok[2] !== true) throw new Error(`relay refused the request: ${ok[3]}`)
  }

  /** The next answer (25931) to request `id`. */
  async answer(id: string, timeoutMs?: number): Promise<Answer> {
    const frame = await this.socket.next((f) => f[0] === 'EVENT' && (f[2] as Event).kind === 25931 && (f[2] as Event).tags.some((t) => t[0] === 'e' && t[1] === id), timeoutMs)
    const event = frame[2] as Event
    return { event, body: JSON.parse(this.decrypt(event)) as ResponseBody }
  }

  /** The next watch notification (25932) of watch `id`. */
  async notification(watchId: string, timeoutMs?: number): Promise<{ seq: number; changes: Array<Record<string, unknown>>; closed?: string }> {
    const frame = await this.socket.next((f) => f[0] === 'EVENT' && (f[2] as Event).kind === 25932 && (f[2] as Event).tags.some((t) => t[0] === 'e' && t[1] === watchId), timeoutMs)
    return JSON.parse(this.decrypt(frame[2] as Event))
  }

  decrypt(event: Event): string {
    return nip44.decrypt(event.content, nip44.getConversationKey(this.sk, this.bridge))
  }

  /** One request, answered. */
  async call(op: string, ns: string, path: string, args?: Record<string, unknown>): Promise<ResponseBody & { id: string }> {
    const event = this.requestEvent({ op, ns, path, ...(args ? { args } : {}) })
    await this.send(event)
    return { ...(await this.answer(event.id)).body, id: event.id }
  }

  /** The result of a request that must succeed. */
  async ok(op: string, ns: string, path: string, args?: Record<string, unknown>): Promise<Record<string, any>> {
    const body = await this.call(op, ns, path, args)
    if (!body.ok) throw new Error(`${op} ${path}: ${body.error.code} ${body.error.message}`)
    return body.result
  }

  /** The error code of a request (or 'ok'). */
  async code(op: string, ns: string, path: string, args?: Record<string, unknown>): Promise<string> {
    const body = await this.call(op, ns, path, args)
    return body.ok ? 'ok' : body.error.code
  }

  async write(ns: string, path: string, text: string, args: Record<string, unknown> = { create: true, truncate: true }) {
    return this.ok('write', ns, path, { data_b64: bytesToBase64(new TextEncoder().encode(text)), ...args })
  }

  async readText(ns: string, path: string, args?: Record<string, unknown>): Promise<string> {
    return toText(base64ToBytes((await this.ok('read', ns, path, args)).data_b64))
  }

  private lastPublished = 0

  /**
   * Publishes a signed event of this key's (a grant, a deletion). Times only move forward, so a
   * grant replaced within the same second still replaces (NIP-01 keeps the lower id on a tie).
   */
  async publish(template: { kind: number; tags: string[][]; content?: string; created_at?: number }): Promise<Event> {
    this.lastPublished = Math.max(seconds(), this.lastPublished + 1)
    const event = finalizeEvent({ content: '', created_at: this.lastPublished, ...template }, this.sk)
    const ok = await this.socket.publish(event)
    if (ok[2] !== true) throw new Error(`relay refused kind ${template.kind}: ${ok[3]}`)
    return event
  }

  /** A grant (35931) of this key's namespace `ns` to `grantee`. */
  grant(d: string, grantee: string, ns: string, allow: Array<[string, string]>, extra: string[][] = []): Promise<Event> {
    return this.publish({ kind: 35931, tags: [['d', d], ['p', grantee], ['ns', ns], ...allow.map(([p, r]) => ['allow', p, r]), ...extra] })
  }

  /** An HTTP call to the bridge's API, signed with NIP-98. */
  async http(method: string, path: string, body?: unknown): Promise<Response> {
    const url = `${BASE}${path}`
    const bytes = body === undefined ? undefined : new TextEncoder().encode(JSON.stringify(body))
    const headers: Record<string, string> = { Authorization: await httpAuthHeader(new SecretKeySigner(this.sk), url, method, bytes) }
    return SELF.fetch(url, { method, headers, body: bytes })
  }

  /** Creates (or replaces) namespace `id` owned by this key. */
  async createNamespace(id: string, mounts: Array<{ path: string; service: string; mode?: string }>): Promise<void> {
    const res = await this.http('PUT', `/fs/namespaces/${id}`, { mounts })
    if (res.status !== 200) throw new Error(`PUT /fs/namespaces/${id}: ${res.status} ${await res.text()}`)
  }

  close() {
    this.socket.close()
  }
}

export const uniqueNs = (prefix = 'ns') => `${prefix}-${crypto.randomUUID().slice(0, 8)}`
