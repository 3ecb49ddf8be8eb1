/**
 * The fs-bridge Durable Object: serves namespaces to signed requests (25930) the relay hands it
 * by RPC, answering with responses (25931) and watch notifications (25932) through the relay's
 * `publish`. A thin shell: the rules live in handler.ts and protocol/.
 */
import { DurableObject } from 'cloudflare:workers'
import { FsError } from '../../sdk/fs/error'
import { isUnder } from '../../sdk/fs/path'
import type { NostrEvent } from '../../sdk/nostr/signer'
import {
  CLOCK_SKEW, GRANT_KIND, INLINE_MAX, MANIFEST_KIND, NOTIFICATION_KIND, OPS, PROTOCOL_VERSION, REQUEST_KIND, RESPONSE_KIND,
  type NotificationBody, type ResponseBody, type Result, type WireChange, type WireError,
} from '../../sdk/services/remote/protocol'
import { BucketMap } from '../../sdk/util/token-bucket'
import { verifySignature } from '../nip98'
import { SeenIds } from '../seen-ids'
import { AUDIT_FILE_LINES, AuditFs } from './audit/audit-fs'
import { Journal, type AuditRow } from './audit/journal'
import { blobPort } from './blob-port'
import { relayOf, type BridgeEnv } from './env'
import { handleRequest, type Outcome, type RequestDeps } from './handler'
import { BridgeIdentity } from './identity'
import { Namespaces, type LoadedNamespace } from './namespaces'
import { runFileOp, type BlobPort } from './ops'
import { refusal } from './protocol/errors'
import { allows, readGrant, validGrants, type Grant } from './protocol/grants'
import { AUDIT_PATH, WATCH_TTL, WATCHES_PER_PUBKEY } from './protocol/limits'
import type { FsRequest } from './protocol/request'
import { notificationTemplate, responseTemplate, visibleChange, type Template } from './protocol/response'
import type { Registered } from './registry/kv'
import type { NamespaceRecord } from './registry/record'
import { NamespaceTable } from './registry/table'
import { buildNamespace, knownService, SERVICE_TYPES } from './services'
import { SeenRequests } from './store/seen'
import { Watches, type WatchRecord } from './store/watches'

const seconds = () => Math.floor(Date.now() / 1000)
const positive = (raw: string | undefined, fallback: number) => (Number(raw) > 0 ? Number(raw) : fallback)
/** Seconds after which a failed journal flush is tried again. */
const JOURNAL_RETRY = 30

/** An HTTP caller's NIP-98 event, already checked by the Worker: who, and the id that must not be used twice. */
export interface HttpAuth {
  pubkey: string
  eventId: string
  /** Unix seconds until which the event could be replayed. */
  until: number
}

export class FsBridgeDurableObject extends DurableObject<BridgeEnv> {
  private identity!: BridgeIdentity
  private readonly journal: Journal
  private readonly seen: SeenRequests
  private readonly authIds: SeenIds
  private readonly watches: Watches
  private readonly namespaces: Namespaces
  private readonly rate: { perSecond: number; burst: number }
  private readonly limiter: BucketMap
  private readonly blobs: BlobPort | null
  private deps!: RequestDeps

  constructor(ctx: DurableObjectState, env: BridgeEnv) {
    super(ctx, env)
    const sql = ctx.storage.sql
    this.journal = new Journal(sql, env.DB)
    this.seen = new SeenRequests(sql)
    this.authIds = new SeenIds(sql)
    this.rate = { perSecond: positive(env.FS_RATE_PER_SECOND, 10), burst: positive(env.FS_RATE_BURST, 50) }
    this.limiter = new BucketMap(this.rate.perSecond, this.rate.burst)
    this.blobs = env.BLOBS ? blobPort(env.BLOBS) : null
    this.watches = new Watches(sql, (w, changes) => this.screen(w, changes), (w, body) => this.notify(w, body))
    this.namespaces = new Namespaces({
      table: new NamespaceTable(sql),
      build: (record) => buildNamespace(record, env, new AuditFs(() => this.journal.tail(record.id, AUDIT_FILE_LINES))),
      knownService,
      kv: env.NAMESPACES,
      bridge: () => this.identity.pubkey,
      background: (task) => ctx.waitUntil(task),
    })
    ctx.blockConcurrencyWhile(async () => {
      this.identity = await BridgeIdentity.load(ctx.storage, env.FS_BRIDGE_SECRET_KEY)
      this.deps = this.requestDeps()
      this.watches.restore((w, onChange) => {
        const loaded = this.namespaces.get(w.ns)
        if (!loaded) throw new FsError('not-found', 'namespace is gone', w.ns)
        return loaded.ns.watch(w.path, onChange, { recursive: w.recursive })
      })
    })
    ctx.waitUntil(this.flushJournal())
  }

  private requestDeps(): RequestDeps {
    return {
      pubkey: this.identity.pubkey,
      now: () => Date.now(),
      verify: verifySignature,
      decrypt: (sender, content) => this.identity.decrypt(sender, content),
      seen: this.seen,
      limiter: this.limiter,
      namespace: (id) => this.namespaces.get(id),
      grants: (record, caller) => this.grantsOf(record, caller),
      execute: (request, caller, id, loaded) => this.execute(request, caller, id, loaded as LoadedNamespace),
      journal: (entry) => this.journal.record(entry),
      answer: (request, body) => this.answer(request, body),
    }
  }

  /** RPC (relay): what the bridge takes, as an event handler. */
  async handles() {
    return { pubkey: this.identity.pubkey, kinds: [REQUEST_KIND] }
  }

  /** RPC (relay): one request. Resolves once it is answered (or dropped). */
  async handle(event: NostrEvent): Promise<Outcome> {
    const outcome = await handleRequest(event, this.deps)
    this.ctx.waitUntil(this.flushJournal())
    await this.wakeBy(seconds() + CLOCK_SKEW + 600)
    return outcome
  }

  /** RPC: the information document (GET /fs). */
  info() {
    return {
      pubkey: this.identity.pubkey,
      protocol: PROTOCOL_VERSION,
      kinds: { request: REQUEST_KIND, response: RESPONSE_KIND, notification: NOTIFICATION_KIND, grant: GRANT_KIND, manifest: MANIFEST_KIND },
      ops: OPS,
      inline_max: INLINE_MAX,
      clock_skew: CLOCK_SKEW,
      watch_ttl: WATCH_TTL,
      rate_limit: { per_second: this.rate.perSecond, burst: this.rate.burst },
      blob_store: this.blobs !== null,
      services: SERVICE_TYPES,
      audit_path: AUDIT_PATH,
    }
  }

  /** RPC (HTTP API): creates or replaces a namespace of the caller's. */
  async putNamespace(auth: HttpAuth, id: string, mounts: unknown): Promise<{ namespace: Registered } | { error: WireError }> {
    if (!this.authIds.claim(auth.eventId, seconds(), auth.until)) return { error: refusal('EACCES', 'this auth event was already used') }
    const put = await this.namespaces.put(auth.pubkey, id, mounts, seconds())
    if ('error' in put) return put
    if (put.changed) this.watches.endNamespace(id)
    return { namespace: { ...put.record, bridge: this.identity.pubkey } }
  }

  /** RPC (HTTP API, registry fallback): the namespace as registered, whoever owns it. */
  registered(id: string): Registered | null {
    return this.namespaces.registered(id)
  }

  async deleteNamespace(auth: HttpAuth, id: string): Promise<WireError | null> {
    if (!this.authIds.claim(auth.eventId, seconds(), auth.until)) return refusal('EACCES', 'this auth event was already used')
    const error = await this.namespaces.delete(auth.pubkey, id)
    if (!error) this.watches.endNamespace(id)
    return error
  }

  /** RPC (HTTP API): the owner's journal of a namespace, after entry `after`. */
  async auditLog(owner: string, id: string, after: number, limit: number): Promise<AuditRow[] | null> {
    if (this.namespaces.record(id)?.owner !== owner) return null
    return this.journal.read(id, after, limit)
  }

  async alarm() {
    const now = seconds()
    const due = [this.seen.prune(now), await this.watches.expire(now)]
    await this.journal.flush().catch((err) => {
      console.error('fs-bridge: journal flush failed', err)
      due.push(now + JOURNAL_RETRY)
    })
    const next = Math.min(...due.filter((n): n is number => n !== null))
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(Math.max(next, now + 1) * 1000)
  }

  private async wakeBy(at: number) {
    const current = await this.ctx.storage.getAlarm()
    if (current === null || current > at * 1000) await this.ctx.storage.setAlarm(at * 1000)
  }

  private flushJournal(): Promise<void> {
    return this.journal.flush().catch((err) => {
      console.error('fs-bridge: journal flush failed', err)
      return this.wakeBy(seconds() + JOURNAL_RETRY)
    })
  }

  private async grantsOf(record: NamespaceRecord, caller: string): Promise<Grant[]> {
    const events = await relayOf(this.env).query({ kinds: [GRANT_KIND], authors: [record.owner], '#p': [caller] })
    const grants = events.map(readGrant).filter((g): g is Grant => g !== null)
    return validGrants(grants, record.owner, record.id, caller, seconds())
  }

  private async execute(request: FsRequest, caller: string, id: string, loaded: LoadedNamespace): Promise<Result> {
    if (request.op === 'unwatch') {
      const w = this.watches.get(request.watchId)
      if (!w || w.pubkey !== caller || w.ns !== request.ns) throw new FsError('not-found', 'no such watch')
      this.watches.remove(w.id)
      return {}
    }
    if (request.op !== 'watch') return runFileOp(loaded.ns, request, this.blobs)
    const expiresAt = seconds() + WATCH_TTL
    if (request.renew) {
      const w = this.watches.get(request.renew)
      if (!w || w.pubkey !== caller || w.ns !== request.ns || w.path !== request.path) throw new FsError('not-found', 'no such watch', request.path)
      this.watches.renew(w.id, expiresAt)
    } else {
      if (this.watches.countFor(caller) >= WATCHES_PER_PUBKEY) throw new FsError('rate-limited', `at most ${WATCHES_PER_PUBKEY} watches per pubkey`)
      const { ns, path, recursive } = request
      this.watches.create({ id, ns, pubkey: caller, path, recursive, expiresAt }, (w, onChange) => loaded.ns.watch(w.path, onChange, { recursive: w.recursive }))
    }
    await this.wakeBy(expiresAt)
    return { watch_id: request.renew ?? id, expires_at: expiresAt }
  }

  /** What a watcher may still see: the owner everything but nothing of the journal, a grantee what it may read. */
  private async screen(w: WatchRecord, changes: WireChange[]): Promise<{ changes: WireChange[]; revoked: boolean }> {
    const record = this.namespaces.record(w.ns)
    if (!record) return { changes: [], revoked: true }
    const owner = record.owner === w.pubkey
    const grants = owner ? [] : await this.grantsOf(record, w.pubkey)
    if (!owner && !allows(grants, w.path, 'r')) return { changes: [], revoked: true }
    const readable = (p: string) => !isUnder(p, AUDIT_PATH) && (owner || allows(grants, p, 'r'))
    return { changes: changes.flatMap((c) => visibleChange(c, readable)), revoked: false }
  }

  private notify(w: WatchRecord, body: NotificationBody): Promise<void> {
    return this.publish(notificationTemplate(w.id, w.pubkey, this.identity.encrypt(w.pubkey, JSON.stringify(body)), seconds()))
  }

  private answer(request: NostrEvent, body: ResponseBody): Promise<void> {
    return this.publish(responseTemplate(request.id, request.pubkey, this.identity.encrypt(request.pubkey, JSON.stringify(body)), seconds()))
  }

  private async publish(template: Template): Promise<void> {
    try {
      const result = await relayOf(this.env).publish(this.identity.sign(template))
      if (!result.accepted) console.error(`fs-bridge: the relay refused kind ${template.kind}: ${result.message}`)
    } catch (err) {
      console.error(`fs-bridge: could not publish kind ${template.kind}`, err)
    }
  }
}
