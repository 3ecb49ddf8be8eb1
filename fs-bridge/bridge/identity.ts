/**
 * The bridge's own key: it signs answers and is what requests are encrypted to. NIP-44
 * conversation keys (one ECDH each) are kept per peer, so a busy caller costs one ECDH, once.
 */
import { nip44 } from 'nostr-tools'
import { finalizeEvent, generateSecretKey, getPublicKey } from 'nostr-tools/pure'
import { bytesToHex, hexToBytes } from 'nostr-tools/utils'
import type { NostrEvent } from '../../sdk/nostr/signer'
import type { Template } from './protocol/response'

const CACHED_PEERS = 4096

export class BridgeIdentity {
  readonly pubkey: string
  private readonly conversations = new Map<string, Uint8Array>()

  private constructor(private readonly secret: Uint8Array) {
    this.pubkey = getPublicKey(secret)
  }

  /** The configured key, else the one kept in storage, else a new one kept there. */
  static async load(storage: DurableObjectStorage, configured: string | undefined): Promise<BridgeIdentity> {
    if (configured) return new BridgeIdentity(hexToBytes(configured))
    const stored = await storage.get<string>('secret-key')
    if (stored) return new BridgeIdentity(hexToBytes(stored))
    const key = generateSecretKey()
    await storage.put('secret-key', bytesToHex(key))
    return new BridgeIdentity(key)
  }

  private conversation(peer: string): Uint8Array {
    let key = this.conversations.get(peer)
    if (!key) {
      key = nip44.getConversationKey(this.secret, peer)
      if (this.conversations.size >= CACHED_PEERS) this.conversations.delete(this.conversations.keys().next().value as string)
      this.conversations.set(peer, key)
    }
    return key
  }

  encrypt(peer: string, plaintext: string): string {
    return nip44.encrypt(plaintext, this.conversation(peer))
  }

  decrypt(peer: string, payload: string): string {
    return nip44.decrypt(payload, this.conversation(peer))
  }

  sign(template: Template): NostrEvent {
    return { ...finalizeEvent(template, this.secret) }
  }
}
