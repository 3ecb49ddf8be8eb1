/** Relay settings from wrangler vars; every limit here is advertised in NIP-11. Pure. */

export interface RelayConfig {
  name: string
  description: string
  /** Administrative contact (NIP-11 `pubkey`); the relay's own key when unset. */
  contactPubkey: string | null
  /** Public URL of the relay, for NIP-42 relay tags; the request's host when unset. */
  relayUrl: string | null
  maxMessageLength: number
  maxSubscriptions: number
  maxFilters: number
  maxLimit: number
  defaultLimit: number
  maxSubidLength: number
  maxEventTags: number
  maxContentLength: number
  createdAtLowerLimit: number
  createdAtUpperLimit: number
  /** NIP-42 before anything else. */
  authRequired: boolean
  /** Sustained EVENTs per second per connection, and the burst allowed above it. */
  eventsPerSecond: number
  eventBurst: number
  /** Sustained EVENTs per second from one IP address over all its connections. */
  eventsPerSecondPerIp: number
  /** REQ and COUNT per second per connection. */
  reqsPerSecond: number
  /** Which DVMs get a job that names none: all, round-robin or least-loaded. */
  routingPolicy: string
  /** Seconds a DVM has to send feedback or a result before the job times out. */
  jobTimeout: number
  /** Seconds after its last sign of life that a DVM still counts as live. */
  dvmLivenessWindow: number
  /** Comma-separated DVM pubkeys; when set, only these are registered (a closed marketplace). */
  dvmAllowlist: string
  /** Comma-separated job kinds routed besides those of the DVM kinds registry. */
  jobKinds: string
  /** Comma-separated Durable Object bindings of the platform's own DVMs. */
  internalDvms: string
  /** Comma-separated Durable Object bindings of services that take events p-tagged to them (the fs-bridge). */
  eventHandlers: string
}

export const defaults: RelayConfig = {
  name: 'oanix-edge',
  description: 'A Nostr relay and NIP-90 DVM marketplace on Cloudflare Workers.',
  contactPubkey: null,
  relayUrl: null,
  maxMessageLength: 131072,
  maxSubscriptions: 50,
  maxFilters: 10,
  maxLimit: 1000,
  defaultLimit: 500,
  maxSubidLength: 64,
  maxEventTags: 2000,
  maxContentLength: 65536,
  createdAtLowerLimit: 94608000,
  createdAtUpperLimit: 900,
  authRequired: false,
  eventsPerSecond: 20,
  eventBurst: 200,
  eventsPerSecondPerIp: 100,
  reqsPerSecond: 20,
  routingPolicy: 'all',
  jobTimeout: 120,
  dvmLivenessWindow: 600,
  dvmAllowlist: '',
  jobKinds: '',
  internalDvms: '',
  eventHandlers: '',
}

/** Var names are the field names in SCREAMING_SNAKE_CASE, e.g. MAX_MESSAGE_LENGTH. */
export function loadConfig(vars: Record<string, unknown>): RelayConfig {
  const out: Record<string, unknown> = { ...defaults }
  for (const key of Object.keys(defaults) as Array<keyof RelayConfig>) {
    const raw = vars[key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()]
    if (raw === undefined || raw === '') continue
    const fallback = defaults[key]
    if (typeof fallback === 'number') {
      const n = Number(raw)
      if (!Number.isFinite(n) || n < 0) throw new Error(`${key}: expected a non-negative number, got ${String(raw)}`)
      out[key] = n
    } else if (typeof fallback === 'boolean') {
      out[key] = raw === true || raw === 'true' || raw === '1'
    } else {
      out[key] = String(raw)
    }
  }
  const config = out as unknown as RelayConfig
  if (!['all', 'round-robin', 'least-loaded'].includes(config.routingPolicy)) {
    throw new Error(`routingPolicy: expected all, round-robin or least-loaded, got ${config.routingPolicy}`)
  }
  return config
}

/** A comma-separated var as a list, without empty items. */
export const listOf = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean)
