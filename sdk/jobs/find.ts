/** Finding DVMs for a job kind by their NIP-89 announcements, on any relays. */
import { latestAnnouncements, type DvmAnnouncement } from '../dvm/announcement'
import { HANDLER_KIND } from '../dvm/kinds'
import { createPool, queryAll, type WebSocketClass } from '../nostr/pool'

export interface FindDvmsOptions {
  relays: string[]
  WebSocket?: WebSocketClass
  /** Milliseconds to wait for each relay's stored events; default 5000. */
  maxWait?: number
}

/** The DVMs announcing `kind`: the latest announcement per (pubkey, d), newest first. */
export async function findDvms(kind: number, options: FindDvmsOptions): Promise<DvmAnnouncement[]> {
  const pool = createPool(options.WebSocket ? { WebSocket: options.WebSocket } : {})
  try {
    const events = await queryAll(pool, options.relays, [{ kinds: [HANDLER_KIND], '#k': [String(kind)] }], options.maxWait)
    return latestAnnouncements(events).sort((a, b) => b.announcedAt - a.announcedAt)
  } finally {
    pool.destroy()
  }
}
