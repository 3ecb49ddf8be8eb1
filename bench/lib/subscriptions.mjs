// Live-subscription filters for fan-out and soak: 1-3 filters per socket over kinds, authors
// and #t/#p/#e tags, several of which nearly match many events (a tag with the wrong kind),
// so a relay that ignores a condition delivers what it must not. limit 0: no history.
import { universe } from '../corpus.mjs'
import { rng, tools } from './prng.mjs'

export function subscriptionFilters(seed, i) {
  const u = universe(seed)
  const t = tools(rng(seed, 'subscription', i))
  const author = () => u.authors[t.skewed(u.authors.length)]
  const templates = [
    () => ({ kinds: [0] }),
    () => ({ authors: Array.from({ length: 5 }, author) }),
    () => ({ '#t': [u.topics[t.skewed(u.topics.length)]] }),
    () => ({ '#p': [author()] }),
    () => ({ kinds: [7], '#p': [author()] }),
    () => ({ kinds: [1], '#e': [u.roots[t.skewed(u.roots.length)]] }),
  ]
  return Array.from({ length: 1 + t.int(3) }, () => ({ ...t.pick(templates)(), limit: 0 }))
}
