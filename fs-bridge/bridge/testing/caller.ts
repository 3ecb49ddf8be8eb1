/**
 * What the bridge's two test clients share: the one inside the Workers runtime (client.ts) and the
 * black-box one in Node (test/blackbox/fs-bridge-client.ts). Requests are built with the SDK's
 * wire format and NIP-44 to the bridge's key; each client brings its own relay socket and HTTP
 * signing. So nothing here may need Node or `cloudflare:test`.
 */
import { nip44 } from 'nostr-tools'
import { finalizeEvent, getPublicKey, type Event, type EventTemplate } from 'nostr-tools/pure'
import { base64ToBytes, bytesToBase64, toText } from '../../../sdk/fs/io'
import { requestTemplate } from '../../../sdk/services/remote/events'
import { GRANT_KIND, NOTIFICATION_KIND, requestBody, RESPONSE_KIND, type NotificationBody, type Op, type ResponseBody } from '../../../sdk/services/remote/protocol'

export interface RequestSpec {
  op: Op
  ns: string
  path: string
  args?: Record<string, unknown>
}

export interface Answer {
  event: Event
  body: ResponseBody
}

export const seconds = () => Math.floor(Date.now() / 1000)

const answers = (kind: number, id: string) => (e: Event) => e.kind === kind && e.tags.some((t) => t[0] === 'e' && t[1] === id)

export abstract class BridgeCaller {
  readonly pubkey: string
  private serial = 0

  protected constructor(
    readonly sk: Uint8Array,
    readonly bridge: string,
  ) {
    this.pubkey = getPublicKey(sk)
  }

  /** Sends an event to the relay and waits for its OK. */
  protected abstract relayPublish(event: Event): Promise<{ accepted: boolean; message: string }>
  /** The next event of this client's subscription that `match`es. */
  protected abstract nextEvent(match: (event: Event) => boolean, timeoutMs?: number): Promise<Event>
  /** Publishes a signed event of this key's (a grant, a deletion); the relay must accept it. */
  abstract publish(template: { kind: number; tags?: string[][]; content?: string; created_at?: number }): Promise<Event>
  /** An HTTP call to the bridge's API, signed with NIP-98. */
  abstract http(method: string, path: string, body?: Record<string, unknown>): Promise<Response>

  /** A signed request; `edit` may change the template before signing (attacks). */
  requestEvent(spec: RequestSpec, edit: (t: EventTemplate) => void = () => {}): Event {
    const content = nip44.encrypt(requestBody(spec.op, spec.ns, spec.path, spec.args), nip44.getConversationKey(this.sk, this.bridge))
    const template = requestTemplate(this.bridge, content, seconds())
    // Distinct ids for identical requests sent in the same second.
    template.tags.push(['nonce', String(++this.serial)])
    edit(template)
    return finalizeEvent(template, this.sk)
  }

  /** Publishes a request (the relay must accept it) without waiting for the answer. */
  async send(event: Event): Promise<void> {
    const { accepted, message } = await this.relayPublish(event)
    if (!accepted) throw new Error(`relay refused the request: ${message}`)
  }

  decrypt(event: Event): string {
    return nip44.decrypt(event.content, nip44.getConversationKey(this.sk, this.bridge))
  }

  /** The next answer (25931) to request `id`. */
  async answer(id: string, timeoutMs?: number): Promise<Answer> {
    const event = await this.nextEvent(answers(RESPONSE_KIND, id), timeoutMs)
    return { event, body: JSON.parse(this.decrypt(event)) as ResponseBody }
  }

  /** The next notification (25932) of watch `watchId`. */
  async notification(watchId: string, timeoutMs?: number): Promise<NotificationBody> {
    return JSON.parse(this.decrypt(await this.nextEvent(answers(NOTIFICATION_KIND, watchId), timeoutMs))) as NotificationBody
  }

  /** One request, answered. */
  async call(op: Op, ns: string, path: string, args?: Record<string, unknown>): Promise<ResponseBody & { id: string }> {
    const event = this.requestEvent({ op, ns, path, args })
    await this.send(event)
    return { ...(await this.answer(event.id)).body, id: event.id }
  }

  /** The result of a request that must succeed. */
  async ok(op: Op, ns: string, path: string, args?: Record<string, unknown>): Promise<Record<string, any>> {
    const body = await this.call(op, ns, path, args)
    if (!body.ok) throw new Error(`${op} ${path}: ${body.error.code} ${body.error.message}`)
    return body.result
  }

  /** The error code of a request (or 'ok'). */
  async code(op: Op, ns: string, path: string, args?: Record<string, unknown>): Promise<string> {
    const body = await this.call(op, ns, path, args)
    return body.ok ? 'ok' : body.error.code
  }

  write(ns: string, path: string, text: string, args: Record<string, unknown> = { create: true, truncate: true }) {
    return this.ok('write', ns, path, { data_b64: bytesToBase64(new TextEncoder().encode(text)), ...args })
  }

  async readText(ns: string, path: string, args?: Record<string, unknown>): Promise<string> {
    return toText(base64ToBytes((await this.ok('read', ns, path, args)).data_b64))
  }

  /** A grant (35931) of this key's namespace `ns` to `grantee`. */
  grant(d: string, grantee: string, ns: string, allow: Array<[string, string]>, extra: string[][] = []): Promise<Event> {
    return this.publish({ kind: GRANT_KIND, tags: [['d', d], ['p', grantee], ['ns', ns], ...allow.map(([p, r]) => ['allow', p, r]), ...extra] })
  }

  /** Creates (or replaces) namespace `id` owned by this key. */
  async createNamespace(id: string, mounts: Array<{ path: string; service: string; mode?: string }>): Promise<void> {
    const res = await this.http('PUT', `/fs/namespaces/${id}`, { mounts })
    if (res.status !== 200) throw new Error(`PUT /fs/namespaces/${id}: ${res.status} ${await res.text()}`)
  }
}
