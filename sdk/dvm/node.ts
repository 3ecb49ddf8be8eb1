/**
 * A DVM as a Node process on any NIP-90 relays: announces itself (NIP-89), takes the requests of
 * its kinds published from now on, follows NIP-09 cancellations of its running jobs, and answers
 * on the request's `relays` plus its own.
 */
import type { AbstractSimplePool, SubCloser } from 'nostr-tools/abstract-pool'
import type { Filter } from 'nostr-tools/filter'
import WebSocket from 'ws'
import { createPool, publishToAny, queryAll, type WebSocketClass } from '../nostr/pool'
import type { NostrEvent, Signer } from '../nostr/signer'
import { heartbeatTemplate } from './announcement'
import { defineDvm } from './define'
import { DELETION_KIND } from './kinds'
import { DvmRuntime, type Settlement } from './runtime'
import type { DvmDefinition } from './types'

export interface RunDvmOptions {
  relays: string[]
  signer: Signer
  /** Default: `ws`. */
  WebSocket?: WebSocketClass
  /** Seconds between kind 11998 heartbeats (each valid for twice that); none when absent. */
  heartbeat?: number
  settlement?: Settlement
  /** Where failures go that stop no job (a relay down, an answer refused); default console.error. */
  onError?: (err: unknown) => void
}

export interface RunningDvm {
  pubkey: string
  announcement: NostrEvent
  /** Stops listening, aborts running jobs and closes the connections. */
  stop(): Promise<void>
}

const nowSeconds = () => Math.floor(Date.now() / 1000)

/** Resolves once the DVM has announced itself and its subscriptions are open on every reachable relay. */
export async function runDvm(definition: DvmDefinition, options: RunDvmOptions): Promise<RunningDvm> {
  defineDvm(definition)
  const { relays, signer } = options
  if (relays.length === 0) throw new TypeError('runDvm needs at least one relay')
  const report = options.onError ?? ((err: unknown) => console.error('dvm:', err))
  const pool = createPool({ WebSocket: options.WebSocket ?? WebSocket, signer, reconnect: true })
  const deletions = new DeletionWatch(pool, relays, (id, by) => void runtime.cancel(id, by))
  const runtime = new DvmRuntime(
    definition,
    {
      signer,
      publish: (event, job) => publishToAny(pool, [...relays, ...(job?.relays ?? [])], event),
      query: (filters) => queryAll(pool, relays, filters),
    },
    { onError: report, onRunning: (ids) => deletions.watch(ids), ...(options.settlement ? { settlement: options.settlement } : {}) },
  )
  let heartbeat: ReturnType<typeof setInterval> | undefined
  const subs: SubCloser[] = []
  const stop = async () => {
    clearInterval(heartbeat)
    subs.forEach((s) => s.close())
    deletions.close()
    runtime.stop()
    pool.destroy()
  }
  try {
    const pubkey = await signer.getPublicKey()
    const announcement = await runtime.announcement()
    await publishToAny(pool, relays, announcement)
    const since = nowSeconds()
    // The `#p` filter: a relay may hand requests naming a DVM only to subscriptions naming it.
    const filters: Filter[] = [{ kinds: definition.kinds, since }, { kinds: definition.kinds, '#p': [pubkey], since }]
    await Promise.all(relays.map((url) => subscribe(pool, url, filters, (request) => void runtime.job(request).catch(report), report).then((s) => subs.push(s))))
    if (options.heartbeat) {
      const beat = async () => publishToAny(pool, relays, await signer.signEvent(heartbeatTemplate(2 * options.heartbeat!)))
      await beat()
      heartbeat = setInterval(() => void beat().catch(report), options.heartbeat * 1000)
    }
    return { pubkey, announcement, stop }
  } catch (err) {
    await stop()
    throw err
  }
}

/** One subscription per relay, so that this runtime (not the pool) sees and drops a request that arrives twice. */
function subscribe(pool: AbstractSimplePool, url: string, filters: Filter[], onevent: (e: NostrEvent) => void, report: (err: unknown) => void): Promise<SubCloser> {
  return new Promise((resolve) => {
    let open = false
    const sub: SubCloser = pool.subscribeMap(
      filters.map((filter) => ({ url, filter })),
      {
        onevent,
        oneose: () => {
          open = true
          resolve(sub)
        },
        // Closed before its EOSE: the relay is unreachable or refused the subscription.
        onclose: (reasons) => {
          if (open) return
          report(new Error(`no subscription on ${url}: ${reasons.map((r) => r.reason).join('; ')}`))
          resolve(sub)
        },
      },
    )
  })
}

/** One subscription for deletions of the running jobs, renewed when they change. */
class DeletionWatch {
  private sub: SubCloser | null = null
  private ids: string[] = []
  private scheduled = false

  constructor(
    private readonly pool: AbstractSimplePool,
    private readonly relays: string[],
    private readonly cancel: (requestId: string, by: string) => void,
  ) {}

  watch(ids: string[]) {
    this.ids = ids
    if (this.scheduled) return
    this.scheduled = true
    queueMicrotask(() => {
      this.scheduled = false
      this.renew()
    })
  }

  close() {
    this.ids = []
    this.sub?.close()
    this.sub = null
  }

  private renew() {
    this.sub?.close()
    this.sub = null
    const ids = this.ids
    if (ids.length === 0) return
    this.sub = this.pool.subscribe(this.relays, { kinds: [DELETION_KIND], '#e': ids }, {
      onevent: (deletion) => {
        for (const t of deletion.tags) if (t[0] === 'e' && ids.includes(t[1])) this.cancel(t[1], deletion.pubkey)
      },
    })
  }
}
