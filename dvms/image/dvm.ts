/**
 * The image-generation DVM (kind 5100): a prompt in, an image out. The image is stored as a
 * content-addressed blob; the result is its absolute URL, with an `x` tag for its SHA-256.
 */
import type { GeneratedImage, ImageBackend } from '../backends/types'
import type { InputLimits } from '../config'
import { generateImage } from '../generate'
import { promptOf, readInputs } from '../inputs'
import { describeParams, readParams } from '../params'
import { checkImageOutput, imageParams, sizeOf } from './params'
import { defineDvm } from '../../sdk/dvm/define'
import type { DvmDefinition } from '../../sdk/dvm/types'
import type { Signer } from '../../sdk/nostr/signer'

export interface ImageDvmDeps {
  backend: ImageBackend
  models: string[]
  price: number
  limits: InputLimits
  signer: Signer
  /** Stores the image; answers its hash and the absolute URL it is served at. */
  store(image: GeneratedImage): Promise<{ sha256: string; url: string }>
}

export function imageDvm(deps: ImageDvmDeps): DvmDefinition {
  const params = imageParams(deps.models)
  return defineDvm({
    kinds: [5100],
    id: 'oanix-image',
    info: {
      name: 'OANIX image generator',
      about: 'Paints an image from a text prompt (i tags of type text, url, event or job) and answers with a link to it.',
      params: describeParams(params),
      output: ['text/plain', 'text/uri-list', 'image/*'],
    },
    price: deps.price,
    async handle(job, ctx) {
      const p = readParams(job.params, params)
      checkImageOutput(job.output)
      const prompt = promptOf(await readInputs(job, ctx, deps))
      const image = await generateImage(
        deps.backend,
        { model: p.model ?? deps.models[0], prompt, ...(p.negative_prompt ? { negativePrompt: p.negative_prompt } : {}), ...sizeOf(p) },
        ctx,
      )
      checkImageOutput(job.output, image.type)
      const stored = await deps.store(image)
      return { content: stored.url, tags: [['x', stored.sha256], ['m', image.type]] }
    },
  })
}
