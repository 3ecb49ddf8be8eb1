/**
 * Encrypted jobs (NIP-90 "Encrypted Params"): the request's `i` and `param` tags travel
 * encrypted in its content, to the DVM named by its `p` tag; feedback samples and the result go
 * back encrypted the same way. Either NIP-04 (the NIP's text) or NIP-44 (what NDK sends).
 */
import { cipherOf, type NostrEvent, type Signer } from '../nostr/signer'
import { isEncrypted } from './answers'
import { encryptionOf, readHiddenTags, type Encryption } from './request'

/** The hidden tags of a request encrypted to `signer`, and the scheme it used. */
export async function decryptRequest(signer: Signer, request: NostrEvent): Promise<{ tags: string[][]; encryption: Encryption } | { error: string }> {
  const encryption = encryptionOf(request.content)
  let plaintext: string
  try {
    plaintext = await cipherOf(signer, encryption).decrypt(request.pubkey, request.content)
  } catch (err) {
    return { error: `could not decrypt the request (${encryption}): ${err instanceof Error ? err.message : String(err)}` }
  }
  const tags = readHiddenTags(plaintext)
  return 'error' in tags ? tags : { tags, encryption }
}

export const encryptTo = (signer: Signer, encryption: Encryption, pubkey: string, plaintext: string): Promise<string> =>
  cipherOf(signer, encryption).encrypt(pubkey, plaintext)

/** An answer's content read by the customer: decrypted when it is marked `encrypted`. */
export async function readContent(signer: Signer, answer: NostrEvent): Promise<string> {
  if (!answer.content || !isEncrypted(answer)) return answer.content
  return cipherOf(signer, encryptionOf(answer.content)).decrypt(answer.pubkey, answer.content)
}
