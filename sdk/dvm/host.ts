/**
 * A DVM inside a Durable Object, fed by the platform's router over RPC. The object delegates
 * its three `InternalDvm` methods (announcement, job, cancel) to a `DvmHost`:
 *
 *   host = new DvmHost(myDvm, { signer, publish: (e) => relay.publish(e), query: (f) => relay.query(f) })
 *   announcement() { return this.host.announcement() }  // and job(), cancel() alike
 */
import type { Filter } from 'nostr-tools/filter'
import type { NostrEvent, Signer } from '../nostr/signer'
import { DvmRuntime, type DeliveryContext, type Settlement } from './runtime'
import type { DvmDefinition } from './types'

export interface DvmHostOptions {
  signer: Signer
  /** Publishes to the platform's relay (its `publish` RPC). A `{ accepted: false }` answer counts as a failure. */
  publish: (event: NostrEvent) => Promise<unknown>
  /** Reads the relay's stored events (its `query` RPC), for `resolveEvent` and chained jobs. */
  query?: (filters: Filter[]) => Promise<NostrEvent[]>
  settlement?: Settlement
}

export class DvmHost {
  private readonly runtime: DvmRuntime

  constructor(definition: DvmDefinition, options: DvmHostOptions) {
    const { signer, publish, query, settlement } = options
    this.runtime = new DvmRuntime(
      definition,
      {
        signer,
        publish: async (event) => {
          const answer = await publish(event)
          if (isRefusal(answer)) throw new Error(`the relay refused event ${event.id}: ${answer.message}`)
          return answer
        },
        ...(query ? { query } : {}),
      },
      settlement ? { settlement } : {},
    )
  }

  /** The signed NIP-89 announcement the router registers. */
  announcement(): Promise<NostrEvent | null> {
    return this.runtime.announcement()
  }

  /** Runs the job to its end (the router does not wait for it). */
  job(request: NostrEvent, context: DeliveryContext): Promise<void> {
    return this.runtime.job(request, context)
  }

  /** The router saw the customer delete the request. */
  cancel(requestId: string): Promise<void> {
    return this.runtime.cancel(requestId)
  }
}

const isRefusal = (v: unknown): v is { accepted: false; message: string } =>
  typeof v === 'object' && v !== null && (v as { accepted?: unknown }).accepted === false
