/** The web console: routes (#/dvms, #/jobs, #/jobs/<id>, #/charts, #/try, #/relay) and the connection banner. */
import { App, type View } from './app'
import { chartsView } from './views/charts'
import { dvmsView } from './views/dvms'
import { jobView } from './views/job'
import { jobsView } from './views/jobs'
import { relayView } from './views/relay'
import { tryView } from './views/try'

const ROUTES: Record<string, { view: View; title: string }> = {
  dvms: { view: dvmsView, title: 'DVMs' },
  jobs: { view: jobsView, title: 'Jobs' },
  job: { view: jobView, title: 'Job' },
  charts: { view: chartsView, title: 'Charts' },
  try: { view: tryView, title: 'Try it' },
  relay: { view: relayView, title: 'Relay' },
}

const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`
const app = new App(wsUrl)
const main = document.getElementById('main') as HTMLElement
const banner = document.getElementById('connection') as HTMLElement

const TEXT = {
  connecting: `Connecting to ${wsUrl}…`,
  open: `Connected to ${wsUrl}`,
  offline: `The relay is unreachable at ${wsUrl}: live updates are paused, retrying. Figures shown may be out of date.`,
}
app.relay.watch((state) => {
  banner.textContent = TEXT[state]
  banner.className = `connection connection-${state}`
  banner.setAttribute('role', state === 'offline' ? 'alert' : 'status')
})

let stop = () => {}
let first = true
function route() {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?')
  const [name = '', arg = ''] = path.split('/')
  const key = name === 'jobs' && arg ? 'job' : name in ROUTES ? name : 'dvms'
  const { view, title } = ROUTES[key]
  stop()
  stop = view(main, app, arg, new URLSearchParams(search))
  document.title = `${title} · relay console`
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    if (a.getAttribute('href') === `#/${key === 'job' ? 'jobs' : key}`) a.setAttribute('aria-current', 'page')
    else a.removeAttribute('aria-current')
  }
  // After a navigation, not on arrival, move focus to the new view's heading for screen readers.
  if (!first) main.querySelector<HTMLElement>('h2')?.focus()
  first = false
}
addEventListener('hashchange', route)
route()
