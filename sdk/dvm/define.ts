/** `defineDvm`: checks a DVM definition once, where it is written, instead of at its first job. */
import { isJobRequestKind } from './kinds'
import type { DvmDefinition } from './types'

export const DEFAULT_PARTIAL_INTERVAL = 500

/** The announcement's `d` tag: the definition's `id`, or a slug of its name. */
export function dvmId(def: Pick<DvmDefinition, 'id' | 'info'>): string {
  if (def.id) return def.id
  return def.info.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'dvm'
}

/** What is wrong with a definition, one line per problem (empty when it is fine). */
export function definitionProblems(def: DvmDefinition): string[] {
  const problems: string[] = []
  const d = def as Partial<DvmDefinition> | null | undefined
  if (typeof d !== 'object' || d === null) return ['the definition must be an object']
  if (!Array.isArray(d.kinds) || d.kinds.length === 0) problems.push('kinds must list at least one job request kind')
  else for (const k of d.kinds) if (!isJobRequestKind(k)) problems.push(`kind ${String(k)} is not a job request kind (5000-5999)`)
  if (typeof d.info !== 'object' || d.info === null) problems.push('info must be an object with a name and an about')
  else {
    if (typeof d.info.name !== 'string' || d.info.name.trim() === '') problems.push('info.name must be a non-empty string')
    if (typeof d.info.about !== 'string') problems.push('info.about must be a string')
  }
  if (d.price !== undefined && !(Number.isSafeInteger(d.price) && d.price >= 0)) problems.push('price must be a whole, non-negative number of millisats')
  if (d.partialInterval !== undefined && !(Number.isFinite(d.partialInterval) && d.partialInterval >= 0)) problems.push('partialInterval must be a non-negative number of milliseconds')
  if (d.id !== undefined && (typeof d.id !== 'string' || d.id === '')) problems.push('id must be a non-empty string')
  if (typeof d.handle !== 'function') problems.push('handle must be a function')
  return problems
}

/** Returns the definition unchanged, or throws one error listing every problem in it. */
export function defineDvm<D extends DvmDefinition>(def: D): D {
  const problems = definitionProblems(def)
  if (problems.length > 0) throw new TypeError(`invalid DVM definition: ${problems.join('; ')}`)
  return def
}
