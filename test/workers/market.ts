/** Helpers for the marketplace tests: HTTP reads, polling, and the test DVMs. */
import { env, SELF } from 'cloudflare:test'
import type { TestDvm } from './test-dvm'

export async function getJson<T = any>(path: string): Promise<T> {
  const res = await SELF.fetch(`http://relay.test${path}`, { headers: { Accept: 'application/json' } })
  return (await res.json()) as T
}

/** Polls until `check` stops throwing (an expect that fails), or rethrows after the timeout. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) throw err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

export const testDvm = (binding: 'TEST_DVM_A' | 'TEST_DVM_B') => {
  const ns = (env as unknown as Record<string, DurableObjectNamespace<TestDvm>>)[binding]
  return ns.get(ns.idFromName(binding))
}

export const relayInfo = async () => {
  const res = await SELF.fetch('http://relay.test/', { headers: { Accept: 'application/nostr+json' } })
  return (await res.json()) as { self: string }
}

/** Both test DVMs registered and live, with their pubkeys. */
export async function testDvms(): Promise<{ a: string; b: string }> {
  await relayInfo() // wakes the relay, which registers its internal DVMs
  const [a, b] = await Promise.all([testDvm('TEST_DVM_A').pubkey(), testDvm('TEST_DVM_B').pubkey()])
  await eventually(async () => {
    const listed = await getJson<Array<{ pubkey: string; live: boolean }>>('/dvms?kind=5300')
    for (const p of [a, b]) if (!listed.some((d) => d.pubkey === p && d.live)) throw new Error(`DVM ${p} not listed yet`)
  })
  return { a, b }
}
