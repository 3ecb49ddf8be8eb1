/**
 * Who signs: a secret key held here, or anything shaped like NIP-07's `window.nostr` (a browser
 * extension, or a NIP-46 remote signer client), which is why the shape is exactly NIP-07's.
 */
import { nip04, nip44 } from 'nostr-tools'
import { finalizeEvent, getPublicKey, type EventTemplate, type NostrEvent } from 'nostr-tools/pure'
import { hexToBytes } from 'nostr-tools/utils'

export type { EventTemplate, NostrEvent }

export interface Cipher {
  encrypt(pubkey: string, plaintext: string): Promise<string>
  decrypt(pubkey: string, ciphertext: string): Promise<string>
}

export interface Signer {
  getPublicKey(): Promise<string>
  signEvent(template: EventTemplate): Promise<NostrEvent>
  nip04?: Cipher
  nip44?: Cipher
}

/** A signer over a secret key (32 bytes, or 64 hex characters). */
export class SecretKeySigner implements Signer {
  private readonly key: Uint8Array
  readonly pubkey: string

  constructor(secret: Uint8Array | string) {
    this.key = typeof secret === 'string' ? hexToBytes(secret) : secret
    this.pubkey = getPublicKey(this.key)
  }

  async getPublicKey(): Promise<string> {
    return this.pubkey
  }

  async signEvent(template: EventTemplate): Promise<NostrEvent> {
    return finalizeEvent(template, this.key)
  }

  readonly nip04: Cipher = {
    encrypt: async (pubkey, plaintext) => nip04.encrypt(this.key, pubkey, plaintext),
    decrypt: async (pubkey, ciphertext) => nip04.decrypt(this.key, pubkey, ciphertext),
  }

  readonly nip44: Cipher = {
    encrypt: async (pubkey, plaintext) => nip44.encrypt(plaintext, nip44.getConversationKey(this.key, pubkey)),
    decrypt: async (pubkey, ciphertext) => nip44.decrypt(ciphertext, nip44.getConversationKey(this.key, pubkey)),
  }
}

/** The signer's cipher for `scheme`, or an error naming what the signer lacks. */
export function cipherOf(signer: Signer, scheme: 'nip04' | 'nip44'): Cipher {
  const cipher = signer[scheme]
  if (!cipher) throw new Error(`the signer cannot ${scheme} encrypt`)
  return cipher
}
