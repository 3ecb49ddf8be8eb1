/**
 * The job kinds of the DVM kinds registry (shared/dvm-kinds). Only these, and any an operator
 * configures, are routed: the 5000-5999 range also holds kinds that are not jobs.
 */

export interface JobKind {
  kind: number
  name: string
  /** The registry page says a request must carry at least one input. */
  needsInput: boolean
}

export const REGISTERED_JOB_KINDS: JobKind[] = [
  { kind: 5000, name: 'text extraction', needsInput: true },
  { kind: 5001, name: 'summarization', needsInput: true },
  { kind: 5002, name: 'translation', needsInput: true },
  { kind: 5050, name: 'text generation', needsInput: false },
  { kind: 5100, name: 'image generation', needsInput: true },
  { kind: 5200, name: 'video conversion', needsInput: true },
  { kind: 5201, name: 'video translation', needsInput: true },
  { kind: 5202, name: 'image-to-video conversion', needsInput: true },
  { kind: 5250, name: 'text-to-speech', needsInput: true },
  { kind: 5300, name: 'content discovery', needsInput: false },
  { kind: 5301, name: 'people discovery', needsInput: false },
  { kind: 5302, name: 'note search', needsInput: true },
  { kind: 5303, name: 'profile search', needsInput: true },
  { kind: 5400, name: 'event count', needsInput: false },
  { kind: 5500, name: 'malware scanning', needsInput: true },
  { kind: 5900, name: 'event timestamping', needsInput: true },
  { kind: 5901, name: 'OP_RETURN creation', needsInput: true },
  { kind: 5905, name: 'event publish schedule', needsInput: true },
  { kind: 5970, name: 'event PoW delegation', needsInput: true },
]

export class JobKinds {
  private readonly byKind: Map<number, JobKind>

  /** `extra` adds kinds an operator routes besides the registry's, e.g. "5123,5124". */
  constructor(extra: number[] = []) {
    this.byKind = new Map(REGISTERED_JOB_KINDS.map((k) => [k.kind, k]))
    for (const kind of extra) {
      if (kind >= 5000 && kind < 6000 && !this.byKind.has(kind)) this.byKind.set(kind, { kind, name: `kind ${kind}`, needsInput: false })
    }
  }

  get(kind: number): JobKind | undefined {
    return this.byKind.get(kind)
  }

  isRequest(kind: number): boolean {
    return this.byKind.has(kind)
  }

  /** A result answers request kind `kind - 1000`. */
  isResult(kind: number): boolean {
    return this.byKind.has(kind - 1000)
  }
}

export { FEEDBACK_KIND, HANDLER_KIND, HEARTBEAT_KIND } from '../../sdk/dvm/kinds'
