/**
 * NostrFs, mounted at /cap/nostr: OANIX's Nostr capability as files, over any set of relays.
 *
 *   identity/pubkey, identity/npub  who signs (64 hex, no newline; bech32)
 *   status            {"status":"ready|closed","pubkey","npub","outbox_count","inbox_count","relays":[url],
 *                     "connections":{url:{state,authenticated,error?,notice?}},"sent_count","job_count",
 *                     "subscription_count","rejected_count"}
 *   submit            write {"kind","content","tags"?,"created_at"?}: signed on flush and queued
 *   request           write a NIP-90 job request (templates.ts): signed on flush and queued
 *                     reading either gives the id of the last event written through it ('' before any)
 *   outbox/<id>.json  signed events no relay has accepted yet (a refused one stays); removing one withdraws it
 *   sent/<id>.json    once a relay answers: {"id","kind","state":"pending|accepted|refused",
 *                     "relays":{url:{"accepted","message","at"} or {"error","at"}}}
 *   inbox/<id>.json   verified events from the subscriptions, each once, at most limits.inbox
 *   arrivals          the inbox ids, oldest arrival first, one per line
 *   subscriptions     read [{id,filters,relays:{url:state}}]; write a filter or a list (opens sub-N), or {"close":id}
 *   jobs/<request-id>/  request.json; status (pending, then the newest feedback's status, success once a
 *                     result is in); feedback/<event-id>.json; results/<provider-pubkey>.json
 *
 * Bad JSON is refused at flush with an FsError (`io`) and nothing is queued. Relays' NIP-42 challenges
 * are answered with the signer.
 */
import { FuncFs } from '../func'
import { NostrClient, type NostrFsLimits, type NostrFsOptions } from './client'
import { nostrTree } from './tree'

export type { NostrFsLimits, NostrFsOptions }
export type { ConnectionStatus, SubscriptionStatus } from './relays'
export type { SentRecord, RelayAnswer, DeliveryState } from './outbox'

export class NostrFs extends FuncFs {
  /** Asks the signer for its public key and starts connecting; events written before a relay is up wait in the outbox. */
  static async create(options: NostrFsOptions): Promise<NostrFs> {
    const { signer, ...rest } = options
    return new NostrFs(new NostrClient(await signer.getPublicKey(), signer, rest))
  }

  private constructor(private readonly client: NostrClient) {
    super(nostrTree(client))
    client.onChange = (change) => this.notify(change)
  }

  get pubkey(): string {
    return this.client.pubkey
  }

  /** Ends the relay connections; the files stay readable, writes are refused as `unavailable`. */
  close(): void {
    this.client.close()
  }
}
