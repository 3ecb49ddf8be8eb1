/**
 * A NIP-90 customer built on nostr-tools alone, as any Nostr client would be: finds DVMs by
 * their NIP-89 announcements, publishes job requests (plain or encrypted) and collects the
 * answers. Node only.
 */
import WebSocket from 'ws'
import * as nip04 from 'nostr-tools/nip04'
import * as nip44 from 'nostr-tools/nip44'
import { finalizeEvent, generateSecretKey, getPublicKey, type Event } from 'nostr-tools/pure'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'

useWebSocketImplementation(WebSocket)

export type { Event }
export type Scheme = 'nip04' | 'nip44'

export interface JobRun {
  request: Event
  /** Every kind 7000 answer, in order of arrival. */
  feedback: Event[]
  result?: Event
}

export const statusOf = (e: Event) => e.tags.find((t) => t[0] === 'status')?.[1]
const now = () => Math.floor(Date.now() / 1000)

export class Customer {
  readonly sk = generateSecretKey()
  readonly pk = getPublicKey(this.sk)

  private constructor(readonly relay: Relay) {}

  static async connect(url: string): Promise<Customer> {
    const relay = await Relay.connect(url, { enablePing: false })
    relay.publishTimeout = 30_000
    return new Customer(relay)
  }

  close() {
    this.relay.close()
  }

  /** The announcement (kind 31990) of the DVM named `name` serving `kind`, waiting for it to appear. */
  async findDvm(kind: number, name: string, timeoutMs = 30_000): Promise<Event> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = (await this.query({ kinds: [31990], '#k': [String(kind)] })).find((e) => JSON.parse(e.content || '{}').name === name)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`no announcement of ${name} for kind ${kind}`)
      await new Promise((r) => setTimeout(r, 250))
    }
  }

  /** Stored events matching the filter, up to EOSE. */
  query(filter: Record<string, unknown>): Promise<Event[]> {
    return new Promise((resolve) => {
      const events: Event[] = []
      const sub = this.relay.subscribe([filter as never], {
        onevent: (e) => events.push(e),
        oneose: () => {
          sub.close()
          resolve(events)
        },
      })
    })
  }

  sign(kind: number, tags: string[][], content = ''): Event {
    return finalizeEvent({ kind, created_at: now(), tags, content }, this.sk)
  }

  /** A request whose `hidden` tags travel encrypted to `dvm` (NIP-90 encrypted params). */
  async signEncrypted(kind: number, dvm: string, hidden: string[][], scheme: Scheme, visible: string[][] = []): Promise<Event> {
    const plaintext = JSON.stringify(hidden)
    const content = scheme === 'nip04' ? nip04.encrypt(this.sk, dvm, plaintext) : nip44.encrypt(plaintext, nip44.getConversationKey(this.sk, dvm))
    return this.sign(kind, [['p', dvm], ['encrypted'], ...visible], content)
  }

  /** An answer's content, decrypted when it is marked encrypted. */
  read(answer: Event): string {
    if (!answer.tags.some((t) => t[0] === 'encrypted')) return answer.content
    return /\?iv=/.test(answer.content)
      ? nip04.decrypt(this.sk, answer.pubkey, answer.content)
      : nip44.decrypt(answer.content, nip44.getConversationKey(this.sk, answer.pubkey))
  }

  /**
   * Publishes the request and collects its answers until the result, or feedback that ends the
   * job (`error`, `payment-required`).
   */
  run(request: Event, timeoutMs = 30_000): Promise<JobRun> {
    const run: JobRun = { request, feedback: [] }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.close()
        reject(new Error(`job ${request.id} did not end within ${timeoutMs} ms: ${JSON.stringify(run.feedback.map(statusOf))}`))
      }, timeoutMs)
      const end = () => {
        clearTimeout(timer)
        sub.close()
        resolve(run)
      }
      const sub = this.relay.subscribe([{ kinds: [7000, request.kind + 1000], '#e': [request.id] }], {
        onevent: (e) => {
          if (e.kind === 7000) {
            run.feedback.push(e)
            if (statusOf(e) === 'error' || statusOf(e) === 'payment-required') end()
          } else {
            run.result = e
            end()
          }
        },
        oneose: () => {
          this.relay.publish(request).catch((err) => {
            clearTimeout(timer)
            sub.close()
            reject(err)
          })
        },
      })
    })
  }
}
