/** What every view shares: the relay connection, and the registry and relay facts it reads often. */
import { REGISTERED_JOB_KINDS } from '../../relay/marketplace/job-kinds'
import { api, type Dvm, type RelayInfo } from './api'
import { shortKey } from './format'
import { RelayClient } from './relay-client'

/** Renders into `main`; returns what to stop (timers, subscriptions) when the page moves on. */
export type View = (main: HTMLElement, app: App, arg: string, query: URLSearchParams) => () => void

const FRESH_MS = 10_000

export class App {
  readonly relay: RelayClient
  private registry?: { at: number; dvms: Promise<Dvm[]> }
  private info?: Promise<RelayInfo>

  constructor(wsUrl: string) {
    this.relay = new RelayClient(wsUrl)
  }

  /** The registry, read again when older than a few seconds. */
  dvms(): Promise<Dvm[]> {
    if (!this.registry || Date.now() - this.registry.at > FRESH_MS) {
      const dvms = api.dvms()
      this.registry = { at: Date.now(), dvms }
      dvms.catch(() => (this.registry = undefined))
    }
    return this.registry.dvms
  }

  relayInfo(): Promise<RelayInfo> {
    this.info ??= api.info()
    this.info.catch(() => (this.info = undefined))
    return this.info
  }

  /** Job request kinds: the DVM kinds registry's and any a registered DVM serves. */
  async jobKinds(): Promise<number[]> {
    const served = await this.dvms().then((ds) => ds.flatMap((d) => d.kinds), () => [])
    return [...new Set([...REGISTERED_JOB_KINDS.map((k) => k.kind), ...served])].sort((a, b) => a - b)
  }

  /** Who a pubkey is, as far as the console knows: a DVM's name, this relay, or a short npub. */
  async nameOf(pubkey: string): Promise<string> {
    const [dvms, info] = await Promise.all([this.dvms().catch(() => []), this.relayInfo().catch(() => ({}) as RelayInfo)])
    if (pubkey === info.self) return 'this relay'
    const dvm = dvms.find((d) => d.pubkey === pubkey)
    return dvm ? `${dvm.name || 'unnamed DVM'} (${shortKey(pubkey)})` : shortKey(pubkey)
  }
}
