/** Shared code for the black-box suite: keys and events, clients and instances per test file. */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, inject } from 'vitest'
import { makeAuthEvent } from 'nostr-tools/nip42'
import { finalizeEvent, generateSecretKey, getPublicKey, type Event, type EventTemplate } from 'nostr-tools/pure'
import { initNostrWasm, type Nostr } from 'nostr-wasm'
import { startRelay, type Instance } from './platform'
import { RawClient } from './raw-client'

export type { Event }
export { RawClient, type Frame } from './raw-client'

declare module 'vitest' {
  export interface ProvidedContext {
    relayUrl: string
    relayHttpUrl: string
  }
}

export const relayUrl = () => inject('relayUrl')
export const relayHttpUrl = () => inject('relayHttpUrl')
export const now = () => Math.floor(Date.now() / 1000)
export const uniq = (prefix = 'tag') => `${prefix}-${randomUUID()}`
export const randomHex = () => getPublicKey(generateSecretKey())
export const ids = (events: Array<{ id: string }>) => events.map((e) => e.id)
export const sortedIds = (events: Array<{ id: string }>) => ids(events).sort()
/** The event as plain JSON, as it travels (nostr-tools marks signed events with a symbol). */
export const plain = (e: Event): Event => JSON.parse(JSON.stringify(e))

export interface Key {
  sk: Uint8Array
  pk: string
}

export function newKey(): Key {
  const sk = generateSecretKey()
  return { sk, pk: getPublicKey(sk) }
}

/** A signed event: kind 1, now, no tags and a unique content unless given. */
export function sign(key: Key, t: Partial<EventTemplate> = {}): Event {
  return finalizeEvent({ kind: 1, created_at: now(), tags: [], content: randomUUID(), ...t }, key.sk)
}

let wasm: Promise<Nostr> | undefined

/**
 * Signs fields of any type without checking them (nostr-wasm serializes by interpolation), so
 * id and sig are right for a relay that skipped the type checks: only those checks refuse it.
 */
export async function signLoosely(key: Key, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  wasm ??= initNostrWasm()
  const event: Record<string, unknown> = { kind: 1, created_at: now(), tags: [], content: randomUUID(), ...fields }
  ;(await wasm).finalizeEvent(event as unknown as Event, key.sk)
  return event
}

/** `count` distinct signed events sharing the template (content differs). */
export function signMany(key: Key, count: number, t: Partial<EventTemplate> = {}): Event[] {
  return Array.from({ length: count }, (_, i) => sign(key, { content: `${t.content ?? ''} #${i} ${randomUUID()}`, ...omit(t, 'content') }))
}

function omit<T extends object, K extends keyof T>(o: T, k: K): Omit<T, K> {
  const { [k]: _, ...rest } = o
  return rest
}

/** A signed NIP-42 auth event for `client`'s challenge; `edit` may change the template first. */
export function authEvent(key: Key, client: RawClient, edit: (t: EventTemplate) => EventTemplate = (t) => t): Event {
  return finalizeEvent(edit(makeAuthEvent(client.url, client.challenge)), key.sk)
}

/** A `connect` for the test file; every client it opened is closed after each test. */
export function useClients(url: () => string = relayUrl) {
  const open: RawClient[] = []
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.terminate()))
  })
  return async () => {
    const c = await RawClient.connect(url())
    open.push(c)
    return c
  }
}

/** An instance of the relay of the test file's own, with the given vars, for the whole file. */
export function useInstance(vars: Record<string, string>): () => Instance {
  let instance: Instance | undefined
  beforeAll(async () => {
    instance = await startRelay(vars)
  }, 90_000)
  afterAll(async () => {
    await instance?.stop()
  }, 30_000)
  return () => {
    if (!instance) throw new Error('instance not started')
    return instance
  }
}

/** Polls `check` until it returns true; fails after `timeoutMs`. Not a timing assertion. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 15_000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}

/** The NIP-11 document of the relay at `httpUrl`. */
export async function fetchInfo(httpUrl = relayHttpUrl()): Promise<Record<string, any>> {
  const res = await fetch(httpUrl, { headers: { Accept: 'application/nostr+json' } })
  return (await res.json()) as Record<string, any>
}

/** A prefix per NIP-01: a machine-readable word, a colon. */
export const prefixed = (prefix: string) => new RegExp(`^${prefix}: `)
