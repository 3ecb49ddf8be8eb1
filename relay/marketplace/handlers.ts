/**
 * Platform services that take events addressed to them (the fs-bridge takes 25930 requests
 * p-tagged to its key), delivered by Durable Object RPC as jobs are to internal DVMs. The relay
 * knows them only by binding and by what they say they take; they answer through `publish`.
 */
import type { NostrEvent } from '../protocol/event'

export interface HandlerRegistration {
  pubkey: string
  /** It takes events of these kinds that p-tag `pubkey`. */
  kinds: number[]
}

export interface EventHandler {
  handles(): Promise<HandlerRegistration>
  /** An event it takes, once the relay has accepted it. */
  handle(event: NostrEvent): Promise<void>
}

/** The registrations that take `event`. Pure. */
export function takers<T extends HandlerRegistration>(registrations: readonly T[], event: Pick<NostrEvent, 'kind' | 'tags'>): T[] {
  return registrations.filter((r) => r.kinds.includes(event.kind) && event.tags.some((t) => t[0] === 'p' && t[1] === r.pubkey))
}

const RETRY_MS = 30_000

export class EventHandlers {
  private registered: Array<HandlerRegistration & { handler: EventHandler }> = []
  private missing: string[]
  private loading: Promise<void> | null = null
  private retryAt = 0

  constructor(
    private readonly env: Record<string, unknown>,
    bindings: string[],
  ) {
    this.missing = bindings
  }

  /** Asks each handler not yet registered what it takes; one that fails is asked again later. */
  private ready(): Promise<void> {
    if (this.loading && (this.missing.length === 0 || Date.now() < this.retryAt)) return this.loading
    const bindings = this.missing
    this.loading = Promise.all(
      bindings.map(async (binding) => {
        try {
          const ns = this.env[binding] as DurableObjectNamespace | undefined
          if (!ns) throw new Error(`no Durable Object binding ${binding}`)
          const handler = ns.get(ns.idFromName(binding)) as unknown as EventHandler
          this.registered.push({ ...(await handler.handles()), handler })
          return null
        } catch (err) {
          console.error(`relay: event handler ${binding} did not register`, err)
          return binding
        }
      }),
    ).then((failed) => {
      this.missing = failed.filter((b): b is string => b !== null)
      this.retryAt = Date.now() + RETRY_MS
    })
    return this.loading
  }

  /**
   * Hands `event` to every handler that takes it, in arrival order, without waiting for them.
   * Once every handler has registered this is synchronous: no promise per event on the hot path.
   */
  dispatch(event: NostrEvent): void {
    if (this.missing.length === 0) return this.deliver(event)
    void this.ready().then(() => this.deliver(event))
  }

  private deliver(event: NostrEvent): void {
    for (const r of takers(this.registered, event)) {
      r.handler.handle(event).catch((err) => console.error('relay: event handler failed', err))
    }
  }
}
