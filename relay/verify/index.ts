/**
 * Event id and Schnorr signature verification (and signing, for the relay's own events):
 * libsecp256k1 compiled to WebAssembly (nostr-wasm, ~2x the pure-JS rate inside workerd),
 * with @noble as the fallback.
 */
import { NostrWasm } from 'nostr-wasm'
import secp256k1 from 'nostr-wasm/public/out/secp256k1.wasm'
import { finalizeEvent, verifyEvent as verifyWithNoble } from 'nostr-tools/pure'
import type { NostrEvent } from '../protocol/event'

/** True when the id is the event's hash and the signature is the author's. */
export type Verify = (e: NostrEvent) => boolean
export type Sign = (template: Pick<NostrEvent, 'kind' | 'tags' | 'content' | 'created_at'>, secretKey: Uint8Array) => NostrEvent

export interface Schnorr {
  name: 'wasm' | 'noble'
  verify: Verify
  sign: Sign
}

let loading: Promise<Schnorr> | undefined

export function loadVerifier(): Promise<Schnorr> {
  loading ??= loadWasm().catch((err) => {
    console.warn('nostr-wasm unavailable, using @noble:', err)
    return { name: 'noble' as const, verify: verifyNoble, sign: (t, sk) => ({ ...finalizeEvent(t, sk) }) }
  })
  return loading
}

export const verifyNoble: Verify = (e) => verifyWithNoble({ ...e })

async function loadWasm(): Promise<Schnorr> {
  // Workers may not compile WebAssembly from bytes, so the module arrives precompiled. Given a
  // Module, WebAssembly.instantiate resolves to a bare Instance, while nostr-wasm's loader
  // expects the { module, instance } pair that bytes give; adapt for the one call.
  const instantiate = WebAssembly.instantiate
  WebAssembly.instantiate = (async (source: WebAssembly.Module, imports?: WebAssembly.Imports) => ({
    module: source,
    instance: await instantiate(source, imports),
  })) as unknown as typeof WebAssembly.instantiate
  try {
    const nostr = await NostrWasm(secp256k1 as unknown as BufferSource)
    return {
      name: 'wasm',
      verify: (e) => {
        try {
          nostr.verifyEvent(e)
          return true
        } catch {
          return false
        }
      },
      sign: (template, secretKey) => {
        const event = { ...template, id: '', pubkey: '', sig: '' }
        nostr.finalizeEvent(event, secretKey)
        return event
      },
    }
  } finally {
    WebAssembly.instantiate = instantiate
  }
}
