/**
 * One job: the request, the feedback timeline and the results, live over the WebSocket, with
 * the status the relay recorded (it alone knows of time-outs and cancellations) from /jobs/:id.
 */
import { api, ApiError, type Job } from '../api'
import type { App, View } from '../app'
import { fill, h } from '../dom'
import { tokenize } from '../highlight'
import { jobState } from '../jobs-model'
import { resultParts } from '../result-view'
import type { NostrEvent } from '../../../relay/protocol/event'
import { readJobRequest } from '../../../relay/marketplace/nip90'
import { amountOf, isEncrypted } from '../../../sdk/dvm/answers'
import { jobKind } from '../job-request'
import { msats, shortId, shortKey } from '../format'
import { heading, keyText, kindLabel, statusBadge } from './common'

export const jobView: View = (main, app, id) => {
  if (!/^[0-9a-f]{64}$/.test(id)) {
    fill(main, heading('Job'), h('p', { class: 'problem', role: 'alert' }, 'A job id is 64 lowercase hex characters.'))
    return () => undefined
  }
  const box = h('div')
  fill(main, heading('Job', `Job ${shortId(id)}: its request, the feedback DVMs sent and their results, as they arrive.`), box)
  return watchJob(box, app, id)
}

const time = (seconds: number) => new Date(seconds * 1000).toLocaleTimeString()

/** Shows job `id` in `box` and keeps it current until the returned function is called. */
export function watchJob(box: HTMLElement, app: App, id: string): () => void {
  let request: NostrEvent | undefined
  const answers = new Map<string, NostrEvent>()
  let job: Job | undefined
  let jobProblem = ''
  let refresh: ReturnType<typeof setTimeout> | undefined
  let stopped = false

  // Sections are filled again only when what they show changed, so an open <details> or the
  // keyboard focus inside one survives the updates of the others.
  const statusLine = h('p', { class: 'job-status', role: 'status' })
  const [requestBox, feedbackBox, resultsBox, historyBox] = [h('div'), h('div'), h('div'), h('div')]
  const section = (title: string, body: HTMLElement) => h('section', {}, h('h3', {}, title), body)
  fill(box, statusLine, section('Request', requestBox), section('Feedback', feedbackBox), section('Results', resultsBox), historyBox)
  const shown = { request: '', feedback: '', results: '', history: '' }
  const changed = (part: keyof typeof shown, key: string) => shown[part] !== key && ((shown[part] = key), true)

  let renders = 0
  const render = async () => {
    const serial = ++renders
    const state = request ? jobState(request, [...answers.values()]) : undefined
    // Events show each change at once; the relay's record adds what only it knows: time-outs and cancellations.
    const status = job && (!state || job.status === 'timed-out' || job.status === 'cancelled') ? job.status : (state?.status ?? 'pending')
    const names = new Map(await Promise.all([...answers.values(), ...(job?.history ?? [])].map(async (e) => [e.pubkey, await app.nameOf(e.pubkey)] as const)))
    if (stopped || serial !== renders) return
    const name = (pk: string) => names.get(pk) ?? shortKey(pk)
    fill(statusLine, 'Status: ', statusBadge(status), state?.note ? ` ${state.note}` : '')
    if (changed('request', request?.id ?? '')) fill(requestBox, request ? requestView(request) : h('p', {}, 'Waiting for the request to reach the relay…'))
    const feedback = state?.feedback ?? []
    if (changed('feedback', feedback.map((e) => e.id).join())) {
      fill(
        feedbackBox,
        feedback.length
          ? h('ol', { class: 'timeline' }, feedback.map((e) => h('li', {}, h('time', {}, time(e.created_at)), ' ', statusBadge(e.tags.find((t) => t[0] === 'status')?.[1] ?? '?'), ' ', noteOf(e), h('span', { class: 'who' }, ` from ${name(e.pubkey)}`))))
          : h('p', {}, 'No feedback yet.'),
      )
    }
    const results = state?.results ?? []
    if (changed('results', results.map((e) => e.id).join())) {
      fill(resultsBox, results.length ? results.map((e) => resultView(e, name(e.pubkey))) : h('p', {}, 'No result yet.'))
    }
    if (changed('history', `${job?.history.length ?? 0}${jobProblem}`)) {
      fill(
        historyBox,
        job?.history.length
          ? h('details', { class: 'history' }, h('summary', {}, 'Lifecycle as the relay recorded it'), h('ol', {}, job.history.map((s) => h('li', {}, h('time', {}, new Date(s.at).toLocaleTimeString()), ' ', statusBadge(s.status), s.note ? ` ${s.note}` : '', h('span', { class: 'who' }, ` by ${name(s.pubkey)}`)))))
          : jobProblem ? h('p', { class: 'note' }, jobProblem) : null,
      )
    }
  }

  const loadJob = async (retries = 3) => {
    try {
      job = await api.job(id)
      jobProblem = ''
    } catch (err) {
      // The job row is written a moment after the request is stored.
      if (err instanceof ApiError && err.status === 404 && retries > 0) return void (refresh = setTimeout(() => loadJob(retries - 1), 700))
      jobProblem = err instanceof ApiError && err.status === 404 ? 'The relay does not follow this event as a job.' : String(err instanceof Error ? err.message : err)
    }
    await render()
  }
  const later = () => {
    clearTimeout(refresh)
    refresh = setTimeout(loadJob, 300)
  }

  // /jobs/:id is read once the request is on the relay, then again after each answer.
  const close = app.relay.subscribe([{ ids: [id] }, { '#e': [id] }], {
    onevent: (e) => {
      if (e.id === id) request = e
      else if (!answers.has(e.id)) answers.set(e.id, e)
      else return
      void render()
      later()
    },
  })
  void render()
  return () => {
    stopped = true
    close()
    clearTimeout(refresh)
  }
}

function requestView(e: NostrEvent) {
  const { request } = readJobRequest(e, jobKind(e.kind))
  return h(
    'div',
    {},
    h(
      'dl',
      {},
      h('dt', {}, 'Kind'),
      h('dd', {}, kindLabel(e.kind)),
      h('dt', {}, 'Sent'),
      h('dd', {}, new Date(e.created_at * 1000).toLocaleString(), ' by ', keyText(e.pubkey)),
      request.inputs.length ? [h('dt', {}, 'Input'), request.inputs.map((i) => h('dd', {}, h('span', { class: 'tag' }, i.type), ' ', i.data))] : null,
      Object.keys(request.params).length ? [h('dt', {}, 'Parameters'), Object.entries(request.params).map(([k, v]) => h('dd', {}, `${k} = ${v}`))] : null,
      request.output ? [h('dt', {}, 'Output'), h('dd', {}, request.output)] : null,
      request.targets.length ? [h('dt', {}, 'Asked'), request.targets.map((p) => h('dd', {}, keyText(p)))] : null,
      request.encrypted ? [h('dt', {}, 'Encrypted'), h('dd', {}, 'yes: inputs and parameters are for the DVM only')] : null,
    ),
    rawEvent(e),
  )
}

const noteOf = (e: NostrEvent) => {
  const note = e.tags.find((t) => t[0] === 'status')?.[2] || e.content
  const amount = amountOf(e)
  return [note ? h('span', { class: 'note' }, note) : null, amount ? ` (asks ${msats(amount.msats)})` : null]
}

function resultView(e: NostrEvent, from: string) {
  return h(
    'article',
    { class: 'result' },
    h('p', { class: 'who' }, `${time(e.created_at)}, from ${from}`),
    isEncrypted(e) ? h('p', {}, 'The result is encrypted for the customer.') : resultParts(e.content, e.kind).map(partView),
    rawEvent(e),
  )
}

function partView(p: ReturnType<typeof resultParts>[number]) {
  if (p.type === 'image') return h('img', { src: p.url, alt: p.alt, loading: 'lazy', referrerpolicy: 'no-referrer' })
  if (p.type === 'text') return h('p', { class: 'text' }, p.text)
  return h(
    'pre',
    { class: 'code', tabindex: 0, 'aria-label': `${p.lang || 'code'} block` },
    h('code', {}, tokenize(p.code, p.lang).map((t) => (t.type === 'plain' ? t.text : h('span', { class: `tok-${t.type}` }, t.text)))),
  )
}

const rawEvent = (e: NostrEvent) => h('details', { class: 'raw' }, h('summary', {}, 'Event JSON'), h('pre', { tabindex: 0 }, JSON.stringify(e, null, 2)))
