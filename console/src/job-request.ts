/** A NIP-90 job request from what the Try-it form holds, checked by the relay's own reader. Pure. */
import type { EventTemplate } from 'nostr-tools/pure'
import { REGISTERED_JOB_KINDS, type JobKind } from '../../relay/marketplace/job-kinds'
import { readJobRequest } from '../../relay/marketplace/nip90'
import type { InputType } from '../../sdk/dvm/types'

export interface JobForm {
  kind: number
  input: string
  inputType: InputType
  /** One `name=value` per line. */
  params: string
  /** Pubkey of the DVM asked by name, or '' to let the relay route it. */
  dvm: string
}

export function jobKind(kind: number): JobKind {
  return REGISTERED_JOB_KINDS.find((k) => k.kind === kind) ?? { kind, name: `kind ${kind}`, needsInput: false }
}

/** The unsigned request, or the problems that keep it from being one. */
export function jobRequestTemplate(form: JobForm, now: number): { template: EventTemplate; problems: [] } | { problems: string[] } {
  const problems: string[] = []
  if (!Number.isInteger(form.kind) || form.kind < 5000 || form.kind > 5999) problems.push('the kind must be a job request kind, 5000 to 5999')
  const tags: string[][] = []
  if (form.input.trim()) tags.push(['i', form.input.trim(), form.inputType])
  for (const line of form.params.split('\n')) {
    if (!line.trim()) continue
    const eq = line.indexOf('=')
    if (eq <= 0) problems.push(`"${line.trim()}" is not name=value`)
    else tags.push(['param', line.slice(0, eq).trim(), line.slice(eq + 1).trim()])
  }
  if (form.dvm) tags.push(['p', form.dvm])
  const template: EventTemplate = { kind: form.kind, created_at: Math.floor(now / 1000), tags, content: '' }
  const unsigned = { ...template, id: '', pubkey: '', sig: '' }
  problems.push(...readJobRequest(unsigned, jobKind(form.kind)).problems)
  return problems.length ? { problems } : { template, problems: [] }
}
