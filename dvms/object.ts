/**
 * A DVM as a Durable Object the router calls (`InternalDvm`). It builds its definition from its
 * vars, keeps its Nostr key, and hands the three RPC methods to a `DvmHost` that publishes
 * through the relay's RPC. With no back-end configured it has no host and announces nothing.
 */
import { DurableObject } from 'cloudflare:workers'
import { generateSecretKey } from 'nostr-tools/pure'
import { bytesToHex } from 'nostr-tools/utils'
import { backendOf, type AiBinding, type Backend } from './backends'
import { readDvmConfig, type DvmConfig } from './config'
import type { RelayEnv } from '../relay/do/relay-do'
import type { InternalDvm, JobContext } from '../relay/marketplace/internal-dvm'
import type { NostrEvent } from '../relay/protocol/event'
import { DvmHost } from '../sdk/dvm/host'
import type { DvmDefinition } from '../sdk/dvm/types'
import { SecretKeySigner, type Signer } from '../sdk/nostr/signer'

export interface DvmEnv extends RelayEnv {
  /** Content-addressed blobs (the image DVM's images). */
  BLOBS?: R2Bucket
  /** Workers AI, for DVMs whose back-end is workers-ai. */
  AI?: AiBinding
}

/** How one DVM is made: its var prefix, and its definition from the configured parts. */
export interface DvmRecipe {
  prefix: string
  /** The model a workers-ai back-end uses when <prefix>_MODEL is unset. */
  workersAiModel: string
  build(parts: { config: DvmConfig; backend: Backend; signer: Signer; env: DvmEnv }): DvmDefinition | { error: string }
}

export class ModelDvm extends DurableObject<DvmEnv> implements InternalDvm {
  private host: DvmHost | null = null

  constructor(ctx: DurableObjectState, env: DvmEnv, recipe: DvmRecipe) {
    super(ctx, env)
    ctx.blockConcurrencyWhile(async () => {
      try {
        this.host = await this.start(recipe)
      } catch (err) {
        console.error(`dvm ${recipe.prefix}: could not start`, err)
      }
    })
  }

  private async start(recipe: DvmRecipe): Promise<DvmHost | null> {
    const config = readDvmConfig(this.env, recipe.prefix, recipe.workersAiModel)
    if ('error' in config) return this.off(recipe, config.error)
    const backend = backendOf(config.backend, this.env.AI)
    if ('error' in backend) return this.off(recipe, backend.error)
    const signer = new SecretKeySigner(config.secretKey ?? (await this.storedKey()))
    const definition = recipe.build({ config, backend, signer, env: this.env })
    if ('error' in definition) return this.off(recipe, definition.error)
    const relay = this.env.RELAY.get(this.env.RELAY.idFromName('relay'))
    return new DvmHost(definition, { signer, publish: (event) => relay.publish(event), query: (filters) => relay.query(filters) })
  }

  private off(recipe: DvmRecipe, why: string): null {
    console.log(`dvm ${recipe.prefix}: not serving: ${why}`)
    return null
  }

  /** Local development: a key generated once and kept in storage. */
  private async storedKey(): Promise<string> {
    const stored = await this.ctx.storage.get<string>('secret-key')
    if (stored) return stored
    const key = bytesToHex(generateSecretKey())
    await this.ctx.storage.put('secret-key', key)
    return key
  }

  async announcement(): Promise<NostrEvent | null> {
    return this.host ? this.host.announcement() : null
  }

  async job(request: NostrEvent, context: JobContext): Promise<void> {
    await this.host?.job(request, context)
  }

  async cancel(requestId: string): Promise<void> {
    await this.host?.cancel(requestId)
  }
}
