/**
 * A DVM inside the platform for the router's tests: announces kind 5300, records what it is
 * given, and answers as the request's `mode` param says (answer, silent, error).
 */
import { DurableObject } from 'cloudflare:workers'
import { finalizeEvent, generateSecretKey } from 'nostr-tools/pure'
import { bytesToHex, hexToBytes } from 'nostr-tools/utils'
import type { RelayEnv } from '../../relay/do/relay-do'
import type { InternalDvm, JobContext } from '../../relay/marketplace/internal-dvm'
import type { NostrEvent } from '../../relay/protocol/event'

export const TEST_DVM_KIND = 5300

export class TestDvm extends DurableObject<RelayEnv> implements InternalDvm {
  private key!: Uint8Array
  private readonly jobs: Array<{ request: NostrEvent; context: JobContext }> = []
  private readonly cancelled: string[] = []

  constructor(ctx: DurableObjectState, env: RelayEnv) {
    super(ctx, env)
    ctx.blockConcurrencyWhile(async () => {
      const stored = await ctx.storage.get<string>('key')
      this.key = stored ? hexToBytes(stored) : generateSecretKey()
      if (!stored) await ctx.storage.put('key', bytesToHex(this.key))
    })
  }

  private sign(template: { kind: number; tags: string[][]; content: string }) {
    return finalizeEvent({ ...template, created_at: Math.floor(Date.now() / 1000) }, this.key)
  }

  async announcement() {
    return this.sign({ kind: 31990, tags: [['d', 'test-dvm'], ['k', String(TEST_DVM_KIND)]], content: JSON.stringify({ name: 'test DVM', about: 'answers at once' }) })
  }

  async job(request: NostrEvent, context: JobContext) {
    this.jobs.push({ request, context })
    const mode = request.tags.find((t) => t[0] === 'param' && t[1] === 'mode')?.[2] ?? 'answer'
    if (mode === 'silent') return
    const relay = this.env.RELAY.get(this.env.RELAY.idFromName('relay'))
    const about = [['e', request.id], ['p', request.pubkey]]
    if (mode === 'error') {
      await relay.publish(this.sign({ kind: 7000, tags: [['status', 'error', 'asked to fail'], ...about], content: '' }))
      return
    }
    await relay.publish(this.sign({ kind: 7000, tags: [['status', 'processing'], ...about], content: '' }))
    const previous = Object.values(context.results).map((r) => r.content)
    await relay.publish(this.sign({ kind: request.kind + 1000, tags: [['request', JSON.stringify(request)], ...about], content: ['done', ...previous].join(' after ') }))
  }

  async cancel(requestId: string) {
    this.cancelled.push(requestId)
  }

  async pubkey() {
    return this.sign({ kind: 1, tags: [], content: '' }).pubkey
  }

  async seen() {
    return { jobs: this.jobs.map((j) => ({ id: j.request.id, context: Object.keys(j.context.results) })), cancelled: this.cancelled }
  }
}
