/** The relay itself: its NIP-11 document and live figures (connections, events stored, rate). */
import { api, ApiError, type RelayInfo } from '../api'
import type { View } from '../app'
import { fill, h, problem } from '../dom'
import { heading, keyText, poll } from './common'

export const relayView: View = (main, app) => {
  const live = h('div', { 'aria-busy': 'true' })
  const facts = h('div', { 'aria-busy': 'true' }, h('p', {}, 'Reading the NIP-11 document…'))
  fill(main, heading('Relay', `This relay at ${app.relay.url}: what it says about itself (NIP-11) and how busy it is.`), h('section', {}, h('h3', {}, 'Now'), live), h('section', {}, h('h3', {}, 'Information document (NIP-11)'), facts))
  app.relayInfo().then(
    (info) => {
      facts.removeAttribute('aria-busy')
      fill(facts, infoView(info))
    },
    (err) => fill(facts, problem(err instanceof ApiError ? err.message : String(err))),
  )
  return poll(async () => {
    try {
      const { relay } = await api.stats()
      live.removeAttribute('aria-busy')
      const figure = (label: string, value: string) => h('div', { class: 'figure-box' }, h('dt', {}, label), h('dd', {}, value))
      fill(
        live,
        h(
          'dl',
          { class: 'figures-row' },
          figure('Connections', relay.connections.toLocaleString('en')),
          figure('Events stored', relay.eventsStored.toLocaleString('en')),
          figure('Events per second', (relay.eventsLastMinute / 60).toFixed(1)),
        ),
        h('p', { class: 'note' }, 'Events per second: events stored with a timestamp in the last minute, over 60. Refreshed every 5 seconds.'),
      )
    } catch (err) {
      fill(live, problem(err instanceof ApiError ? err.message : String(err)))
    }
  }, 5000)
}

function infoView(info: RelayInfo) {
  const row = (label: string, value: Node | string | undefined) => (value === undefined || value === '' ? null : [h('dt', {}, label), h('dd', {}, value)])
  const limits = Object.entries(info.limitation ?? {})
  return [
    h(
      'dl',
      {},
      row('Name', info.name),
      row('Description', info.description),
      row('Software', info.software && `${info.software}${info.version ? ` ${info.version}` : ''}`),
      row('Contact key', info.pubkey ? keyText(info.pubkey) : undefined),
      row('Relay key (signs its own events)', info.self ? keyText(info.self) : undefined),
      row('Supported NIPs', info.supported_nips?.map((n) => String(n).padStart(2, '0')).join(', ')),
    ),
    limits.length
      ? h(
          'div',
          { class: 'scroll' },
          h('table', { class: 'limits' }, h('caption', {}, 'Limitations'), h('tbody', {}, limits.map(([k, v]) => h('tr', {}, h('th', { scope: 'row' }, k.replaceAll('_', ' ')), h('td', {}, String(v)))))),
        )
      : null,
  ]
}
