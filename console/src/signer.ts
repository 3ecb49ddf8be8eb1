/**
 * Who signs the jobs sent from the page: a NIP-07 browser extension when there is one,
 * else a throwaway key that lives in this page only and is gone when it closes. The key's
 * code (secp256k1, ciphers) loads only when a page first signs without an extension.
 */
import type { Signer } from '../../sdk/nostr/signer'

declare global {
  interface Window {
    nostr?: Signer
  }
}

let throwaway: Promise<Signer> | undefined

/** Asked at the moment of signing: extensions may inject `window.nostr` after the page loads. */
export const hasExtension = () => window.nostr !== undefined

export function pageSigner(): Promise<Signer> {
  if (window.nostr) return Promise.resolve(window.nostr)
  throwaway ??= Promise.all([import('nostr-tools/pure'), import('../../sdk/nostr/signer')]).then(
    ([{ generateSecretKey }, { SecretKeySigner }]) => new SecretKeySigner(generateSecretKey()),
  )
  return throwaway
}
