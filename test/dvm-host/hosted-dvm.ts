/**
 * A DVM built with the SDK (defineDvm + DvmHost) inside a Durable Object, bound as an internal
 * DVM of the relay: what a platform DVM looks like. It records what its handler saw.
 */
import { DurableObject } from 'cloudflare:workers'
import { generateSecretKey } from 'nostr-tools/pure'
import { bytesToHex } from 'nostr-tools/utils'
import type { RelayEnv } from '../../relay/do/relay-do'
import type { InternalDvm, JobContext as DeliveryContext } from '../../relay/marketplace/internal-dvm'
import { defineDvm } from '../../sdk/dvm/define'
import { DvmHost } from '../../sdk/dvm/host'
import { JobError } from '../../sdk/dvm/types'
import { SecretKeySigner, type NostrEvent } from '../../sdk/nostr/signer'

export const HOSTED_DVM_KIND = 5050

export class HostedDvm extends DurableObject<RelayEnv> implements InternalDvm {
  private host!: DvmHost
  private signer!: SecretKeySigner
  private readonly handled: string[] = []
  private readonly aborted: string[] = []
  private readonly finished: string[] = []

  constructor(ctx: DurableObjectState, env: RelayEnv) {
    super(ctx, env)
    ctx.blockConcurrencyWhile(async () => {
      const key = (await ctx.storage.get<string>('key')) ?? bytesToHex(generateSecretKey())
      await ctx.storage.put('key', key)
      this.signer = new SecretKeySigner(key)
      const relay = env.RELAY.get(env.RELAY.idFromName('relay'))
      this.host = new DvmHost(this.definition(), { signer: this.signer, publish: (e) => relay.publish(e), query: (f) => relay.query(f) })
    })
  }

  private definition() {
    return defineDvm({
      kinds: [HOSTED_DVM_KIND],
      info: { name: 'hosted echo', about: 'an SDK DVM inside a Durable Object' },
      partialInterval: 0,
      handle: async (job, ctx) => {
        this.handled.push(job.id)
        switch (job.params.mode) {
          case 'fail':
            throw new JobError('asked to fail')
          case 'wait':
            await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve))
            this.aborted.push(job.id)
            return 'too late'
          case 'resolve':
            return (await ctx.resolveEvent(job.inputs[0].data))?.content ?? 'not found'
          case 'chain':
            return `after ${Object.values(job.chained).map((e) => e.content).join()}`
          default:
            await ctx.partial(`echo: ${job.inputs[0]?.data ?? ''}`.slice(0, 8))
            return `echo: ${job.inputs[0]?.data ?? ''}`
        }
      },
    })
  }

  announcement() {
    return this.host.announcement()
  }

  async job(request: NostrEvent, context: DeliveryContext) {
    await this.host.job(request, context)
    this.finished.push(request.id)
  }

  cancel(requestId: string) {
    return this.host.cancel(requestId)
  }

  async pubkey() {
    return this.signer.pubkey
  }

  async seen() {
    return { handled: this.handled, aborted: this.aborted, finished: this.finished }
  }
}
