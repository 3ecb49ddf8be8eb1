/** The event kinds of NIP-90 jobs and their neighbours (NIP-89 announcements, NIP-09 deletions). */

/** Job requests are 5000-5999; each result kind is its request kind + 1000. */
export const isJobRequestKind = (kind: number) => Number.isInteger(kind) && kind >= 5000 && kind < 6000
export const isJobResultKind = (kind: number) => Number.isInteger(kind) && kind >= 6000 && kind < 7000
export const resultKindOf = (requestKind: number) => requestKind + 1000

export const FEEDBACK_KIND = 7000
export const HANDLER_KIND = 31990
/** DVM heartbeat, as proposed in the nips repository: replaceable, with an `expiration`. */
export const HEARTBEAT_KIND = 11998
export const DELETION_KIND = 5

export const isHex64 = (s: unknown): s is string => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s)
