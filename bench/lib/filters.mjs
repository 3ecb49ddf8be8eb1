// NIP-01 filter semantics in plain JS, and the expected answer to a REQ over a known corpus:
// every match, newest first, ties by lowest id, at most `limit`.

/** Whether a wire filter ({ ids, authors, kinds, since, until, '#x': [...] }) matches the event. */
export function matchFilter(f, e) {
  if (f.ids && !f.ids.includes(e.id)) return false
  if (f.authors && !f.authors.includes(e.pubkey)) return false
  if (f.kinds && !f.kinds.includes(e.kind)) return false
  if (f.since !== undefined && e.created_at < f.since) return false
  if (f.until !== undefined && e.created_at > f.until) return false
  for (const key in f) {
    if (key[0] !== '#') continue
    const wanted = f[key]
    const letter = key.slice(1)
    if (!e.tags.some((t) => t[0] === letter && t.length > 1 && wanted.includes(t[1]))) return false
  }
  return true
}

export const matchAny = (filters, e) => filters.some((f) => matchFilter(f, e))

/** NIP-01 result order: created_at descending, then id ascending. */
export const resultOrder = (a, b) => b.created_at - a.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** Indexes of a corpus for computing expected REQ answers quickly. */
export class CorpusIndex {
  constructor(events) {
    this.sorted = [...events].sort(resultOrder)
    this.byId = new Map()
    this.lists = new Map() // 'a:<pubkey>', 'k:<kind>', '#<letter>:<value>' -> ascending positions
    const add = (key, pos) => {
      const l = this.lists.get(key)
      if (l) {
        if (l[l.length - 1] !== pos) l.push(pos)
      } else this.lists.set(key, [pos])
    }
    this.sorted.forEach((e, pos) => {
      this.byId.set(e.id, e)
      add(`a:${e.pubkey}`, pos)
      add(`k:${e.kind}`, pos)
      for (const t of e.tags) if (t[0].length === 1 && t.length > 1) add(`#${t[0]}:${t[1]}`, pos)
    })
  }

  /** Ascending positions of the events that can match on one condition (a union over its values). */
  candidates(prefix, values) {
    const lists = values.map((v) => this.lists.get(prefix + v) ?? [])
    if (lists.length === 1) return lists[0]
    return [...new Set(lists.flat())].sort((a, b) => a - b)
  }

  /** The ids a relay must return for this filter, in order. */
  expected(f, limit) {
    const options = []
    if (f.ids) options.push(f.ids.map((id) => this.byId.get(id)).filter(Boolean).map((e) => this.sorted.indexOf(e)).sort((a, b) => a - b))
    if (f.authors) options.push(this.candidates('a:', f.authors))
    if (f.kinds) options.push(this.candidates('k:', f.kinds.map(String)))
    for (const key in f) if (key[0] === '#') options.push(this.candidates(`${key}:`, f[key]))
    let positions = options.length ? options.reduce((a, b) => (b.length < a.length ? b : a)) : null
    const out = []
    const n = positions ? positions.length : this.sorted.length
    for (let i = 0; i < n && out.length < limit; i++) {
      const e = this.sorted[positions ? positions[i] : i]
      if (matchFilter(f, e)) out.push(e.id)
    }
    return out
  }
}

/**
 * Compares a relay's answer with the expected ids. 'exact'; 'tie-order' when the same events
 * came back in valid created_at order and only same-second ties are ordered (or cut at the
 * limit) differently; otherwise 'wrong' with a short reason.
 */
export function compareResult(got, want, f, index) {
  if (got.length === want.length && got.every((id, i) => id === want[i])) return { verdict: 'exact' }
  const events = got.map((id) => index.byId.get(id))
  if (events.some((e) => !e)) return { verdict: 'wrong', reason: 'returned an event not in the corpus' }
  if (!events.every((e) => matchFilter(f, e))) return { verdict: 'wrong', reason: 'returned an event that does not match' }
  if (new Set(got).size !== got.length) return { verdict: 'wrong', reason: 'returned an event twice' }
  if (got.length !== want.length) return { verdict: 'wrong', reason: `returned ${got.length} events, expected ${want.length}` }
  const wantTimes = want.map((id) => index.byId.get(id).created_at)
  if (events.every((e, i) => e.created_at === wantTimes[i])) return { verdict: 'tie-order' }
  return { verdict: 'wrong', reason: 'wrong events or order' }
}
