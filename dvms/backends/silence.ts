/**
 * The back-end time limit: a call fails when the back-end stays silent for the configured time
 * (no answer yet, or no next chunk of a stream), so long streams that keep talking may finish.
 */
import { BackendError } from './types'

export class Silence {
  /** Aborted when the job's signal aborts or the back-end was silent too long. */
  readonly signal: AbortSignal
  private readonly controller = new AbortController()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly ms: number,
    private readonly job: AbortSignal,
  ) {
    this.signal = AbortSignal.any([job, this.controller.signal])
    this.touch()
  }

  /** A sign of life: the clock starts again. */
  touch() {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => this.controller.abort(this.timeout()), this.ms)
  }

  dispose() {
    clearTimeout(this.timer)
  }

  /** What an error during the call means for the customer. */
  explain(err: unknown): unknown {
    if (this.job.aborted) return this.job.reason ?? err
    if (this.controller.signal.aborted) return this.controller.signal.reason
    if (err instanceof BackendError) return err
    console.error('dvm back-end: call failed', err)
    return new BackendError('the model back-end is unreachable')
  }

  /** `promise`, or this signal's abort, whichever comes first (for APIs that take no signal). */
  race<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.signal.reason)
      if (this.signal.aborted) return onAbort()
      this.signal.addEventListener('abort', onAbort, { once: true })
      promise.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort))
    })
  }

  private timeout() {
    return new BackendError(`the model back-end sent nothing for ${this.ms / 1000} s`)
  }
}
