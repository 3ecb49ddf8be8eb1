/**
 * The kind → DVM registry: NIP-89 announcements that passed the allow-list, with liveness.
 * Held in memory for routing, written through to D1 for the HTTP listing.
 */
import { sql } from 'drizzle-orm'
import type { DvmAnnouncement } from './nip89'
import { dvmActivity, dvms } from './schema'
import type { D1Runner } from '../store/d1'
import { WriteBehind } from '../store/write-behind'

export interface DvmEntry extends DvmAnnouncement {
  /** Durable Object binding for a DVM inside the platform, else null. */
  internal: string | null
}

export interface Activity {
  lastSeen: number
  heartbeatUntil: number | null
}

/** Live: it showed life within the window, or its last heartbeat has not expired. */
export function isLive(activity: Activity | undefined, now: number, window: number): boolean {
  if (!activity) return false
  return now - activity.lastSeen <= window || (activity.heartbeatUntil !== null && activity.heartbeatUntil > now)
}

export class DvmRegistry {
  private readonly entries = new Map<string, DvmEntry>() // by `pubkey:d`
  private readonly activity = new Map<string, Activity>() // by pubkey
  private readonly activityWriter: WriteBehind<[string, Activity]>

  constructor(
    private readonly db: D1Runner,
    /** How long after its last sign of life a DVM still counts as live, ms. */
    private readonly livenessWindow: number,
    private readonly allowlist: Set<string> | null,
  ) {
    this.activityWriter = new WriteBehind((rows) => db.batch([upsertActivity(rows)]), 'dvm activity')
  }

  async load() {
    const [rows, acts] = await this.db.batch<[Array<Record<string, unknown>>, Array<{ pubkey: string; last_seen: number; heartbeat_until: number | null }>]>([
      sql`SELECT * FROM ${dvms}`,
      sql`SELECT * FROM ${dvmActivity}`,
    ])
    for (const r of rows) {
      const entry: DvmEntry = {
        pubkey: r.pubkey as string, d: r.d as string, eventId: r.event_id as string, kinds: JSON.parse(r.kinds as string),
        name: r.name as string, about: r.about as string, price: r.price as number | null, metadata: JSON.parse(r.metadata as string),
        announcedAt: r.announced_at as number, internal: r.internal as string | null,
      }
      this.entries.set(`${entry.pubkey}:${entry.d}`, entry)
    }
    for (const a of acts) this.activity.set(a.pubkey, { lastSeen: a.last_seen, heartbeatUntil: a.heartbeat_until })
  }

  allowed(pubkey: string): boolean {
    return this.allowlist === null || this.allowlist.has(pubkey)
  }

  /** A newer announcement for the same (pubkey, d) replaces the older; the store already refused older ones. */
  async register(a: DvmAnnouncement, internal: string | null, now: number) {
    if (!this.allowed(a.pubkey)) return
    const entry: DvmEntry = { ...a, internal }
    this.entries.set(`${a.pubkey}:${a.d}`, entry)
    await this.db.batch([
      sql`INSERT OR REPLACE INTO ${dvms} (pubkey, d, event_id, kinds, name, about, price, metadata, internal, announced_at)
        VALUES (${a.pubkey}, ${a.d}, ${a.eventId}, ${JSON.stringify(a.kinds)}, ${a.name}, ${a.about}, ${a.price}, ${JSON.stringify(a.metadata)}, ${internal}, ${a.announcedAt})`,
    ])
    this.touch(a.pubkey, now)
  }

  /** NIP-09 deletion of an announcement (`31990:pubkey:d`). */
  async unregister(pubkey: string, d: string) {
    if (!this.entries.delete(`${pubkey}:${d}`)) return
    await this.db.batch([sql`DELETE FROM ${dvms} WHERE ${dvms.pubkey} = ${pubkey} AND ${dvms.d} = ${d}`])
  }

  /** A sign of life: an answer to a job, or a heartbeat valid until `until` (ms). Written behind. */
  touch(pubkey: string, now: number, until: number | null = null) {
    if (!this.isRegistered(pubkey)) return
    const prev = this.activity.get(pubkey)
    const next = { lastSeen: Math.max(now, prev?.lastSeen ?? 0), heartbeatUntil: until ?? prev?.heartbeatUntil ?? null }
    this.activity.set(pubkey, next)
    this.activityWriter.set(pubkey, [pubkey, next])
  }

  isRegistered(pubkey: string): boolean {
    for (const e of this.entries.values()) if (e.pubkey === pubkey) return true
    return false
  }

  isLive(pubkey: string, now: number): boolean {
    return isLive(this.activity.get(pubkey), now, this.livenessWindow)
  }

  /** Registered DVMs serving `kind`, one entry per pubkey. */
  forKind(kind: number): DvmEntry[] {
    const byPubkey = new Map<string, DvmEntry>()
    for (const e of this.entries.values()) if (e.kinds.includes(kind) && !byPubkey.has(e.pubkey)) byPubkey.set(e.pubkey, e)
    return [...byPubkey.values()]
  }

  internalBinding(pubkey: string): string | null {
    for (const e of this.entries.values()) if (e.pubkey === pubkey && e.internal) return e.internal
    return null
  }
}

function upsertActivity(rows: Array<[string, Activity]>) {
  const values = rows.map(([pubkey, a]) => [pubkey, a.lastSeen, a.heartbeatUntil])
  return sql`INSERT OR REPLACE INTO ${dvmActivity} (pubkey, last_seen, heartbeat_until)
    SELECT value->>0, value->>1, value->>2 FROM json_each(${JSON.stringify(values)})`
}
