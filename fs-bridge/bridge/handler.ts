/**
 * One request, from event to answer, in the order PROTOCOL.md gives: signature; addressee and
 * time; replay; decryption and reading; rate limit; namespace; grant; execution; journal and
 * answer. I/O comes in through `RequestDeps`, so this file is the whole authorization story.
 */
import { FsError } from '../../sdk/fs/error'
import type { NostrEvent } from '../../sdk/nostr/signer'
import type { ResponseBody, Result, WireError } from '../../sdk/services/remote/protocol'
import type { AuditEntry } from './audit/journal'
import { accessFor } from './protocol/access'
import { refusal, wireError } from './protocol/errors'
import { authorize, type Grant } from './protocol/grants'
import { checkEnvelope, parseRequest, rememberUntil, type FsRequest } from './protocol/request'
import { failure, success } from './protocol/response'
import type { NamespaceRecord } from './registry/record'
import type { SeenRequests } from './store/seen'

export interface Loaded {
  record: NamespaceRecord
  /** Runs `task` after every task queued before it on this namespace: requests to one namespace are linearised. */
  serial<T>(task: () => Promise<T>): Promise<T>
}

export interface RequestDeps {
  pubkey: string
  /** Milliseconds. */
  now(): number
  verify(event: NostrEvent): boolean
  /** NIP-44 decryption of `content` from `sender`; throws when it is not that. */
  decrypt(sender: string, content: string): string
  seen: SeenRequests
  limiter: { take(key: string, now: number): boolean }
  namespace(id: string): Loaded | null
  /** The owner's grants to `caller` on this namespace that hold now. */
  grants(record: NamespaceRecord, caller: string): Promise<Grant[]>
  execute(request: FsRequest, caller: string, requestId: string, loaded: Loaded): Promise<Result>
  journal(entry: AuditEntry): void
  answer(request: NostrEvent, body: ResponseBody): Promise<void>
}

export type Outcome = 'dropped' | 'answered' | 'replayed' | 'running'

type About = Pick<AuditEntry, 'ns' | 'op' | 'path' | 'target'>
interface Judged {
  body: ResponseBody
  about: About
  allowed: boolean
}

const UNREAD: About = { ns: null, op: null, path: null, target: null }
const refused = (about: About, error: WireError): Judged => ({ body: failure(error), about, allowed: false })

export async function handleRequest(event: NostrEvent, d: RequestDeps): Promise<Outcome> {
  // A forged event names a pubkey that did not sign it: nobody to answer, nothing to journal.
  if (!d.verify(event)) return 'dropped'
  const verdict = checkEnvelope(event, d.pubkey, Math.floor(d.now() / 1000))
  if ('drop' in verdict) return 'dropped'
  let judged: Judged
  if ('accept' in verdict) {
    const claim = d.seen.claim(event.id, rememberUntil(event))
    if (claim.state === 'running') return 'running'
    if (claim.state === 'answered') {
      const stored = JSON.parse(claim.answer) as Judged
      journal(d, event, { ...stored, about: { ...stored.about, op: 'replay' } })
      await d.answer(event, stored.body)
      return 'replayed'
    }
    judged =
      claim.state === 'interrupted'
        ? { body: failure(refusal('EIO', 'interrupted: the bridge restarted while running this request; its effect is unknown')), about: UNREAD, allowed: true }
        : await judge(event, d).catch((err) => {
            console.error('fs-bridge: request failed', err)
            return refused(UNREAD, refusal('EIO', 'internal error'))
          })
    // "Try again" must be able to mean the same request: an EAGAIN answer is not kept.
    if (!judged.body.ok && judged.body.error.code === 'EAGAIN') d.seen.forget(event.id)
    else d.seen.answer(event.id, JSON.stringify(judged))
  } else {
    judged = refused(UNREAD, verdict.refuse)
  }
  journal(d, event, judged)
  await d.answer(event, judged.body)
  return 'answered'
}

function journal(d: RequestDeps, event: NostrEvent, judged: Judged): void {
  const code = judged.body.ok ? null : judged.body.error.code
  d.journal({ at: d.now(), requestId: event.id, pubkey: event.pubkey, ...judged.about, allowed: judged.allowed, code })
}

async function judge(event: NostrEvent, d: RequestDeps): Promise<Judged> {
  let plaintext: string
  try {
    plaintext = d.decrypt(event.pubkey, event.content)
  } catch {
    return refused(UNREAD, refusal('EINVAL', 'content is not NIP-44 v2 encrypted to the bridge key'))
  }
  const parsed = parseRequest(plaintext)
  if ('error' in parsed) return refused(UNREAD, parsed.error)
  const request = parsed.ok
  const about: About = { ns: request.ns, op: request.op, path: request.path, target: request.op === 'rename' ? request.to : null }
  if (!d.limiter.take(event.pubkey, d.now())) return refused(about, refusal('EAGAIN', 'too many requests from this pubkey; slow down'))
  const hidden = refusal('EACCES', `namespace ${request.ns} does not exist or is not shared with you`)
  const loaded = d.namespace(request.ns)
  if (!loaded) return refused(about, hidden)
  return loaded.serial(async () => {
    try {
      const access = accessFor(request)
      const owner = loaded.record.owner
      const grants = event.pubkey === owner || access.right === null ? [] : await d.grants(loaded.record, event.pubkey)
      // Without any grant, a namespace that exists looks like one that does not.
      if (event.pubkey !== owner && access.right !== null && grants.length === 0) return refused(about, hidden)
      const denied = authorize(event.pubkey, owner, grants, access)
      if (denied) return refused(about, denied)
      try {
        return { body: success(await d.execute(request, event.pubkey, event.id, loaded)), about, allowed: true }
      } catch (err) {
        if (!(err instanceof FsError)) console.error(`fs-bridge: ${request.op} ${request.path} failed`, err)
        return { body: failure(wireError(err)), about, allowed: true }
      }
    } catch (err) {
      console.error('fs-bridge: authorization failed', err)
      return refused(about, refusal('EAGAIN', 'the bridge could not check your grant; try again'))
    }
  })
}
