// A deterministic mix of REQ filters over a corpus: by author, kind, #e, #p, #t, time ranges,
// feeds of several authors, profile lookups; limits 50 and 500.
import { BASE_TIME, WINDOW, universe } from '../corpus.mjs'
import { rng, tools } from './prng.mjs'

const DAY = 86400

/** Names of the templates below, in order. */
export const TEMPLATE_NAMES = ['author', 'author+kind1', 'kind+1 day', '#e', '#p', 'kind1+#t', '1 hour', 'feed (10 authors)', 'profiles (5 kind 0)', 'kind7+#e']

export function queryMix(seed, events, count) {
  const u = universe(seed)
  const t = tools(rng(seed, 'queries', count))
  const profiles = events.filter((e) => e.kind === 0).map((e) => e.pubkey)
  const author = () => u.authors[t.skewed(u.authors.length)]
  const start = (span) => BASE_TIME - span - t.int(WINDOW - span)
  const templates = [
    () => ({ authors: [author()], limit: 50 }),
    () => ({ authors: [author()], kinds: [1], limit: 50 }),
    () => {
      const s = start(DAY)
      return { kinds: [t.r() < 0.5 ? 1 : 7], since: s, until: s + DAY, limit: 500 }
    },
    () => ({ '#e': [u.roots[t.skewed(u.roots.length)]], limit: 50 }),
    () => ({ '#p': [author()], limit: 500 }),
    () => ({ kinds: [1], '#t': [u.topics[t.skewed(u.topics.length)]], limit: 50 }),
    () => {
      const s = start(3600)
      return { since: s, until: s + 3600, limit: 500 }
    },
    () => ({ authors: Array.from({ length: 10 }, () => u.authors[t.int(u.authors.length)]), kinds: [1], limit: 500 }),
    () => ({ kinds: [0], authors: Array.from({ length: 5 }, () => t.pick(profiles)), limit: 50 }),
    () => ({ kinds: [7], '#e': [u.roots[t.skewed(u.roots.length)]], limit: 500 }),
  ]
  return Array.from({ length: count }, (_, i) => {
    const k = i % templates.length
    return { template: k, filter: templates[k]() }
  })
}
