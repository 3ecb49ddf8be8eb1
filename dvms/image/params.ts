/** The image DVM's params as kind 5100's registry page defines them: size over ratio, a negative prompt. Pure. */
import { JobError } from '../../sdk/dvm/types'
import { oneOf, type ParamTable } from '../params'

/** Each ratio the registry allows, as a size whose long side is 1024. */
export const RATIO_SIZES: Record<string, [number, number]> = {
  '1:1': [1024, 1024],
  '4:3': [1024, 768],
  '16:9': [1024, 576],
  '16:10': [1024, 640],
  '3:4': [768, 1024],
  '9:16': [576, 1024],
  '10:16': [640, 1024],
}

export const MIN_SIDE = 64
export const MAX_SIDE = 2048

export function readSize(value: string): [number, number] | { error: string } {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(value.trim())
  const sides = m ? [Number(m[1]), Number(m[2])] : []
  if (!m || sides.some((s) => s < MIN_SIDE || s > MAX_SIDE)) return { error: `expected WIDTHxHEIGHT, each side from ${MIN_SIDE} to ${MAX_SIDE}, got "${value}"` }
  return sides as [number, number]
}

export function imageParams(models: string[]) {
  return {
    model: { description: 'the model to use', values: models, default: models[0], read: oneOf(models) },
    size: { description: `WIDTHxHEIGHT, e.g. 1024x768 (takes precedence over ratio)`, read: readSize },
    ratio: { description: 'aspect ratio', values: Object.keys(RATIO_SIZES), read: oneOf(Object.keys(RATIO_SIZES)) },
    negative_prompt: { description: 'what the image should not show', read: (v: string) => (v.length <= 2000 ? v : { error: 'at most 2000 characters' }) },
  } satisfies ParamTable
}

/** The size to ask for: `size`, else `ratio`'s, else the back-end's default. */
export function sizeOf(p: { size?: [number, number]; ratio?: string }): { width: number; height: number } | undefined {
  const [width, height] = p.size ?? (p.ratio ? RATIO_SIZES[p.ratio] : [])
  return width && height ? { width, height } : undefined
}

/** The output types the result may promise: a link (text), or an image type checked once the image exists. */
export function checkImageOutput(output: string | undefined, made?: string) {
  if (output === undefined || output === 'text/plain' || output === 'text/uri-list' || output === 'image/*') return
  if (!/^image\/[\w.+-]+$/.test(output)) throw new JobError(`output ${output} is not offered: the result is a link to an image (text/plain, text/uri-list or image/*)`)
  if (made !== undefined && made !== output) throw new JobError(`the model made ${made}, not the ${output} asked for`)
}
