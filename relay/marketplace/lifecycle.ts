/** How a job's status moves as feedback and results arrive. Pure. */

export type JobStatus = 'pending' | 'payment-required' | 'processing' | 'partial' | 'success' | 'error' | 'cancelled' | 'timed-out'

const KNOWN = new Set<string>(['pending', 'payment-required', 'processing', 'partial', 'success', 'error', 'cancelled', 'timed-out'])

export interface HistoryEntry {
  status: string
  at: number
  /** Who said so: a DVM, the customer (cancel) or the relay (routing errors, timeouts). */
  pubkey: string
  eventId?: string
  note?: string
}

/**
 * The status after `incoming` (a feedback status, or 'success' for a result). Success and
 * cancellation are final; an error or timeout is not, since another DVM may still answer.
 * Unknown statuses are kept in the history but do not change the status.
 */
export function nextStatus(current: JobStatus, incoming: string): JobStatus {
  if (current === 'success' || current === 'cancelled') return current
  if (!KNOWN.has(incoming)) return current
  return incoming as JobStatus
}

export const isOpen = (s: JobStatus) => s === 'pending' || s === 'payment-required' || s === 'processing' || s === 'partial'
