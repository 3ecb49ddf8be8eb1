/** The NIP-11 relay information document. Pure. */
import type { RelayConfig } from './config'

export const SUPPORTED_NIPS = [1, 9, 11, 40, 42, 45, 70, 89, 90]
export const SOFTWARE = 'https://github.com/oanix/oanix-edge'
export const VERSION = '0.1.0'

export function relayInfo(config: RelayConfig, relayPubkey: string) {
  return {
    name: config.name,
    description: config.description,
    // NIP-11: `pubkey` is the administrative contact, `self` the relay's own key, which signs
    // the relay's own events. With no contact configured the relay's key serves as both.
    pubkey: config.contactPubkey ?? relayPubkey,
    self: relayPubkey,
    supported_nips: SUPPORTED_NIPS,
    software: SOFTWARE,
    version: VERSION,
    limitation: {
      max_message_length: config.maxMessageLength,
      max_subscriptions: config.maxSubscriptions,
      max_filters: config.maxFilters,
      max_limit: config.maxLimit,
      default_limit: config.defaultLimit,
      max_subid_length: config.maxSubidLength,
      max_event_tags: config.maxEventTags,
      max_content_length: config.maxContentLength,
      auth_required: config.authRequired,
      payment_required: false,
      restricted_writes: false,
      created_at_lower_limit: config.createdAtLowerLimit,
      created_at_upper_limit: config.createdAtUpperLimit,
    },
    // Not in NIP-11's list; clients ignore what they do not know, operators can read it.
    rate_limits: {
      events_per_second: config.eventsPerSecond,
      event_burst: config.eventBurst,
      events_per_second_per_ip: config.eventsPerSecondPerIp,
      reqs_per_second: config.reqsPerSecond,
    },
  }
}
