/**
 * Recent job requests and their status as it changes, read over the relay's WebSocket like any
 * client. The live feed names no job kinds: the relay takes a subscription to a job kind for a
 * DVM listening (and then holds back its "no DVM serves this kind" error), which a console is not.
 */
import type { View } from '../app'
import { fill, h } from '../dom'
import { ago } from '../format'
import { firstInput, JobBook, type TrackedJob } from '../jobs-model'
import { FEEDBACK_KIND } from '../../../relay/marketplace/job-kinds'
import { heading, kindLabel, statusBadge } from './common'

const SHOWN = 50

export const jobsView: View = (main, app) => {
  const summary = h('p', { class: 'summary', role: 'status' }, 'Reading recent jobs…')
  const body = h('tbody')
  const table = h(
    'table',
    { class: 'jobs' },
    h('caption', { class: 'visually-hidden' }, 'Recent job requests, newest first'),
    h('thead', {}, h('tr', {}, ['Received', 'Kind', 'Input', 'Status', 'Answered by'].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  )
  fill(main, heading('Jobs', 'The latest job requests on this relay; each status changes as feedback and results arrive.'), summary, h('div', { class: 'scroll' }, table))

  let book: JobBook | undefined
  let frame = 0
  let rendered = 0
  const render = () => {
    frame = 0
    if (!book) return
    const jobs = book.jobs()
    const serial = ++rendered
    summary.textContent = jobs.length ? `${jobs.length} recent job${jobs.length === 1 ? '' : 's'}, live.` : 'No job requests yet. Send one from Try it.'
    void Promise.all(jobs.map((j) => row(j, app))).then((rows) => serial === rendered && fill(body, rows))
  }
  const changed = () => (frame ||= requestAnimationFrame(render))

  const stops: Array<() => void> = []
  void app.jobKinds().then(async (kinds) => {
    const isJob = (k: number) => kinds.includes(k)
    book = new JobBook(isJob, SHOWN)
    // Listen first, then read history: nothing published in between is missed.
    const now = Math.floor(Date.now() / 1000)
    stops.push(app.relay.subscribe([{ since: now }], { onevent: (e) => book!.add(e) && changed() }))
    const requests = await app.relay.query([{ kinds, limit: SHOWN }])
    requests.forEach((e) => book!.add(e))
    const ids = book.ids()
    if (ids.length) {
      const answers = await app.relay.query([{ kinds: [FEEDBACK_KIND, ...kinds.map((k) => k + 1000)], '#e': ids, limit: 1000 }])
      answers.forEach((e) => book!.add(e))
    }
    changed()
  })
  return () => {
    stops.forEach((s) => s())
    cancelAnimationFrame(frame)
  }
}

async function row(j: TrackedJob, app: Parameters<View>[1]) {
  const input = firstInput(j.request)
  return h(
    'tr',
    { 'data-job': j.request.id },
    h('td', {}, h('a', { href: `#/jobs/${j.request.id}` }, ago(j.request.created_at * 1000, Date.now()), h('span', { class: 'visually-hidden' }, ': open the job'))),
    h('td', {}, kindLabel(j.request.kind)),
    h('td', { class: 'input' }, input.length > 80 ? `${input.slice(0, 80)}…` : input || '—'),
    h('td', {}, statusBadge(j.status), j.note ? h('span', { class: 'note' }, ` ${j.note}`) : null),
    h('td', {}, j.by ? await app.nameOf(j.by) : '—'),
  )
}
