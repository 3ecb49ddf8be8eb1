/**
 * The platform's own DVMs, as Durable Object classes for relay/worker.ts to export: code
 * generation and chat (kind 5050), image generation (kind 5100). Each serves once its back-end
 * is configured (see config.ts) and it is listed in INTERNAL_DVMS.
 */
import { putBlob } from '../fs-bridge/blobs'
import { chatDvm } from './chat/dvm'
import { codegenDvm } from './codegen/dvm'
import { publicBaseUrl } from './config'
import type { TextDvmDeps } from './generate'
import { imageDvm } from './image/dvm'
import { ModelDvm, type DvmEnv, type DvmRecipe } from './object'

const textDeps = ({ config, backend, signer }: Parameters<DvmRecipe['build']>[0]): TextDvmDeps => ({
  backend, signer, models: config.models, maxTokens: config.maxTokens, price: config.price, limits: config.limits,
})

const CODEGEN: DvmRecipe = {
  prefix: 'CODEGEN',
  workersAiModel: '@cf/qwen/qwen2.5-coder-32b-instruct',
  build: (parts) => codegenDvm(textDeps(parts)),
}

const CHAT: DvmRecipe = {
  prefix: 'CHAT',
  workersAiModel: '@cf/meta/llama-3.1-8b-instruct-fp8',
  build: (parts) => chatDvm(textDeps(parts)),
}

const IMAGE: DvmRecipe = {
  prefix: 'IMAGE',
  workersAiModel: '@cf/stabilityai/stable-diffusion-xl-base-1.0',
  build: ({ config, backend, signer, env }) => {
    const bucket = env.BLOBS
    if (!bucket) return { error: 'no R2 binding BLOBS to keep images in' }
    const base = publicBaseUrl(env)
    if (!base) return { error: 'set PUBLIC_URL (or RELAY_URL) so results can link to images' }
    return imageDvm({
      backend, signer, models: config.models, price: config.price, limits: config.limits,
      store: async (image) => {
        const blob = await putBlob(bucket, image.bytes, image.type)
        return { sha256: blob.sha256, url: base + blob.url }
      },
    })
  },
}

export class CodegenDvm extends ModelDvm {
  constructor(ctx: DurableObjectState, env: DvmEnv) {
    super(ctx, env, CODEGEN)
  }
}

export class ChatDvm extends ModelDvm {
  constructor(ctx: DurableObjectState, env: DvmEnv) {
    super(ctx, env, CHAT)
  }
}

export class ImageDvm extends ModelDvm {
  constructor(ctx: DurableObjectState, env: DvmEnv) {
    super(ctx, env, IMAGE)
  }
}
