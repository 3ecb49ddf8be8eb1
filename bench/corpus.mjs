// Deterministic pre-signed event corpora. Event i depends only on (seed, i): kind, author,
// time, tags and content come from a seeded PRNG, then nostr-tools signs it. Signing is slow
// (~450 events/s per core), so it runs on worker threads before any timing, and corpora are
// cached in bench/.cache/corpus-<seed>-<size>.jsonl; a larger cached corpus of the same
// seed serves any smaller size (its prefix), and a smaller one is extended.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'
import { finalizeEvent, getPublicKey } from 'nostr-tools/pure'
import { rng, sha256, tools } from './lib/prng.mjs'

/** Newest possible created_at, fixed so corpora stay valid; events spread over 30 days before. */
export const BASE_TIME = 1_790_000_000
export const WINDOW = 30 * 86400
/** created_at on a 10 s grid: 100,000 events give thousands of same-second ties. */
const GRAIN = 10
export const AUTHOR_COUNT = 1000
export const TOPIC_COUNT = 50
export const ROOT_COUNT = 2000

const CACHE = new URL('./.cache/', import.meta.url)
const WORDS = 'the relay agent market job result nostr edge worker event filter socket signal key note zap hello world fast slow time data'.split(' ')

const universes = new Map()
/** The shared population of a seed: pool authors (keys), topics, thread roots (ids for e tags). */
export function universe(seed) {
  let u = universes.get(seed)
  if (u) return u
  const keys = Array.from({ length: AUTHOR_COUNT }, (_, j) => new Uint8Array(sha256(`${seed}:author:${j}`)))
  const t = tools(rng(seed, 'universe'))
  u = {
    keys,
    authors: keys.map((k) => getPublicKey(k)),
    topics: Array.from({ length: TOPIC_COUNT }, (_, j) => `topic${j}`),
    roots: Array.from({ length: ROOT_COUNT }, () => t.hex(32)),
  }
  universes.set(seed, u)
  return u
}

/** The unsigned event i and its secret key. Kinds: 75% 1 (notes), 20% 7 (reactions), 5% 0 (metadata, unique author). */
export function template(seed, i) {
  const u = universe(seed)
  const t = tools(rng(seed, 'event', i))
  const roll = t.r()
  const created_at = BASE_TIME - Math.floor(t.r() * (WINDOW / GRAIN)) * GRAIN
  if (roll < 0.05) {
    const sk = new Uint8Array(sha256(`${seed}:meta:${i}`))
    return { sk, tmpl: { kind: 0, created_at, tags: [], content: JSON.stringify({ name: `user${i}`, about: words(t, 8) }) } }
  }
  const a = t.skewed(AUTHOR_COUNT)
  if (roll < 0.25) {
    const tags = [['e', u.roots[t.skewed(ROOT_COUNT)]], ['p', u.authors[t.skewed(AUTHOR_COUNT)]]]
    return { sk: u.keys[a], tmpl: { kind: 7, created_at, tags, content: t.r() < 0.8 ? '+' : '🤙' } }
  }
  const tags = []
  if (t.r() < 0.5) tags.push(['t', u.topics[t.skewed(TOPIC_COUNT)]])
  if (t.r() < 0.1) tags.push(['t', u.topics[t.int(TOPIC_COUNT)]])
  if (t.r() < 0.3) tags.push(['e', u.roots[t.skewed(ROOT_COUNT)], '', 'root'])
  if (t.r() < 0.3) tags.push(['p', u.authors[t.skewed(AUTHOR_COUNT)]])
  return { sk: u.keys[a], tmpl: { kind: 1, created_at, tags, content: words(t, 3 + t.int(40)) } }
}

function words(t, n) {
  const out = []
  for (let i = 0; i < n; i++) out.push(t.pick(WORDS))
  return out.join(' ')
}

function sign(seed, from, to) {
  const out = []
  for (let i = from; i < to; i++) {
    const { sk, tmpl } = template(seed, i)
    const e = finalizeEvent(tmpl, sk)
    out.push({ id: e.id, pubkey: e.pubkey, created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content, sig: e.sig })
  }
  return out
}

async function signParallel(seed, from, to, log) {
  const threads = Math.max(1, Math.min(availableParallelism(), 8))
  const step = Math.ceil((to - from) / threads)
  const t0 = Date.now()
  log?.(`corpus: signing events ${from}..${to} of seed "${seed}" on ${threads} threads (cached afterwards)`)
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, k) => {
      const a = from + k * step
      const b = Math.min(to, a + step)
      if (a >= b) return []
      return new Promise((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { seed, from: a, to: b } })
        w.once('message', resolve)
        w.once('error', reject)
      })
    }),
  )
  log?.(`corpus: signed ${to - from} events in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  return parts.flat()
}

/** The first `size` events of the seed's corpus, from the cache when it has them. */
export async function loadCorpus(seed, size, { log } = {}) {
  mkdirSync(CACHE, { recursive: true })
  const name = (n) => `corpus-${seed}-${n}.jsonl`
  const cached = readdirSync(CACHE)
    .map((f) => f.match(/^corpus-(.+)-(\d+)\.jsonl$/))
    .filter((m) => m && m[1] === seed)
    .map((m) => Number(m[2]))
    .sort((a, b) => b - a)
  const have = cached[0] ?? 0
  let events = []
  if (have > 0) {
    const lines = readFileSync(new URL(name(have), CACHE), 'utf8').split('\n')
    for (let i = 0; i < Math.min(size, have); i++) events.push(JSON.parse(lines[i]))
  }
  if (have < size) {
    events = events.concat(await signParallel(seed, have, size, log))
    writeFileSync(new URL(name(size), CACHE), events.map((e) => JSON.stringify(e)).join('\n') + '\n')
  }
  return events
}

if (!isMainThread && workerData?.seed !== undefined) {
  parentPort.postMessage(sign(workerData.seed, workerData.from, workerData.to))
}

// `node bench/corpus.mjs [seed] [size]` pre-generates a corpus.
if (isMainThread && process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const events = await loadCorpus(process.argv[2] ?? 'bench', Number(process.argv[3] ?? 1000), { log: console.log })
  console.log(`${events.length} events; first: ${JSON.stringify(events[0])}`)
  if (!existsSync(CACHE)) process.exit(1)
}
