/** Signed requests for the Worker's edge routes, as a client would send them. */
import { SELF } from 'cloudflare:test'
import { generateSecretKey } from 'nostr-tools/pure'
import { SecretKeySigner } from '../../sdk/nostr/signer'
import { httpAuthHeader } from '../../sdk/services/edge/nip98'

/** Where the tests address the Worker. */
export const ORIGIN = 'https://edge.test'

export const newSigner = () => new SecretKeySigner(generateSecretKey())

/** `method url` through the Worker, with a NIP-98 header for `signer` (or none). */
export async function signedFetch(signer: SecretKeySigner | null, method: string, url: string, init: { body?: Uint8Array; headers?: Record<string, string>; redirect?: 'manual' } = {}): Promise<Response> {
  const headers = new Headers(init.headers)
  if (signer) headers.set('Authorization', await httpAuthHeader(signer, url, method, init.body))
  return SELF.fetch(url, { method, headers, body: init.body as BodyInit | undefined, redirect: init.redirect })
}
