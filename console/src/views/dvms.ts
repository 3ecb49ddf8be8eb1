/** Every registered DVM: what it serves, its price, whether it is live, how it has done. */
import { api, ApiError, type Dvm, type Stats } from '../api'
import type { View } from '../app'
import { fill, h, problem } from '../dom'
import { ago, duration, msats, percent } from '../format'
import { heading, keyText, kindLabel, poll } from './common'

export const dvmsView: View = (main, app) => {
  const list = h('div', { 'aria-busy': 'true' }, h('p', {}, 'Reading the registry…'))
  fill(main, heading('DVMs', 'Every Data Vending Machine registered here by a NIP-89 announcement, with how it has done on this relay.'), list)
  return poll(async () => {
    try {
      const [dvms, stats] = await Promise.all([app.dvms(), api.stats().catch(() => undefined)])
      list.removeAttribute('aria-busy')
      if (dvms.length === 0) {
        return fill(list, h('p', { class: 'empty' }, 'No DVM has registered yet. A DVM registers by publishing a NIP-89 announcement (kind 31990) with a k tag per job kind it serves.'))
      }
      fill(list, h('ul', { class: 'cards', 'aria-label': 'Registered DVMs' }, dvms.map((d) => card(d, stats))))
    } catch (err) {
      fill(list, problem(err instanceof ApiError ? err.message : String(err)))
    }
  }, 10_000)
}

function card(d: Dvm, stats?: Stats) {
  const s = stats?.perDvm[d.pubkey]
  const answered = s ? s.success + s.error + s.timedOut : 0
  const liveness = d.live ? 'live' : d.lastSeen ? `not live, last seen ${ago(d.lastSeen, Date.now())}` : 'not live, never seen'
  return h(
    'li',
    { class: 'card dvm', 'data-pubkey': d.pubkey },
    h('h3', {}, d.name || 'Unnamed DVM', ' ', h('span', { class: `badge ${d.live ? 'badge-live' : 'badge-down'}` }, d.live ? 'live' : 'not live')),
    d.about ? h('p', {}, d.about) : null,
    h(
      'dl',
      {},
      h('dt', {}, 'Kinds'),
      h('dd', {}, d.kinds.map(kindLabel).join(', ') || 'none'),
      h('dt', {}, 'Price'),
      h('dd', {}, msats(d.price)),
      h('dt', {}, 'Liveness'),
      h('dd', {}, liveness, d.internal ? ' (runs inside the platform)' : ''),
      h('dt', {}, 'Success rate'),
      h('dd', {}, s ? `${percent(s.successRate)} of ${answered} decided` : 'no jobs yet'),
      h('dt', {}, 'Time to result'),
      h('dd', {}, s?.toResultMs.n ? `p50 ${duration(s.toResultMs.p50)}, p95 ${duration(s.toResultMs.p95)}` : '—'),
      h('dt', {}, 'Key'),
      h('dd', {}, keyText(d.pubkey)),
    ),
    d.kinds.length ? h('a', { class: 'button', href: `#/try?kind=${d.kinds[0]}&dvm=${d.pubkey}` }, `Send ${d.name || 'it'} a job`) : null,
  )
}
