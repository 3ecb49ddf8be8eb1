/** Charts from /stats: jobs per kind over time, how jobs ended, how long they took. */
import { api, ApiError, type Stats } from '../api'
import type { View } from '../app'
import { barChart, PALETTE, shareBar, type Series } from '../charts'
import { fill, h, problem, svgFrom } from '../dom'
import { duration, percent, span } from '../format'
import { heading, kindLabel, poll } from './common'

const OUTCOMES = [
  { label: 'success', color: '#2f9e44', statuses: ['success'] },
  { label: 'error', color: '#e03131', statuses: ['error'] },
  { label: 'timed out', color: '#d9730d', statuses: ['timed-out'] },
  { label: 'cancelled', color: '#868e96', statuses: ['cancelled'] },
  { label: 'still open', color: '#3b6fd4', statuses: ['pending', 'payment-required', 'processing', 'partial'] },
]

export const chartsView: View = (main) => {
  const body = h('div', { 'aria-busy': 'true' }, h('p', {}, 'Reading /stats…'))
  fill(main, heading('Charts', 'The marketplace in figures, from the relay’s /stats (its latest 10,000 jobs), refreshed every 10 seconds.'), body)
  let shown = ''
  return poll(async () => {
    try {
      const { relay: _, ...stats } = await api.stats()
      const key = JSON.stringify(stats)
      if (key === shown) return
      shown = key
      // Figures tables someone opened stay open across refreshes.
      const open = [...body.querySelectorAll('details')].map((d) => d.open)
      body.removeAttribute('aria-busy')
      fill(
        body,
        stats.jobs === 0 ? h('p', { class: 'empty' }, 'No jobs yet: the charts fill in as jobs arrive. Send one from Try it.') : null,
        h('div', { class: 'figures' }, jobsOverTime(stats), outcomes(stats), latency(stats)),
      )
      body.querySelectorAll('details').forEach((d, i) => (d.open = open[i] ?? false))
    } catch (err) {
      shown = ''
      fill(body, problem(err instanceof ApiError ? err.message : String(err)))
    }
  }, 10_000)
}

const legend = (items: Array<{ label: string; color: string }>) =>
  h('ul', { class: 'legend' }, items.map((i) => h('li', {}, h('span', { class: 'swatch', style: `background:${i.color}` }), i.label)))

/** The figures as a table, for those who read rather than look. */
const dataTable = (caption: string, head: string[], rows: Array<Array<string | number>>) =>
  h(
    'details',
    { class: 'data' },
    h('summary', {}, 'Show the figures'),
    h('div', { class: 'scroll' }, h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))))),
  )

type Figures = Omit<Stats, 'relay'>

function jobsOverTime(stats: Figures) {
  const { bucketMs, start, perKind } = stats.timeline
  const buckets = Object.values(perKind)[0]?.length ?? 30
  const at = (i: number) => new Date(start + i * bucketMs)
  const label = (d: Date) =>
    bucketMs >= 86400_000 ? d.toLocaleDateString([], { month: 'short', day: 'numeric' }) : d.toLocaleTimeString([], { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', ...(bucketMs < 60_000 ? { second: '2-digit' } : {}) })
  const categories = Array.from({ length: buckets }, (_, i) => label(at(i)))
  const series: Series[] = Object.entries(perKind).map(([kind, values], i) => ({ label: kindLabel(Number(kind)), color: PALETTE[i % PALETTE.length], values }))
  const title = `Jobs received per kind, per ${span(bucketMs)}`
  return h(
    'figure',
    { class: 'figure', id: 'chart-timeline' },
    h('figcaption', {}, h('h3', {}, 'Jobs per kind over time'), h('p', {}, `Each bar is ${span(bucketMs)}; the last one is still filling.`)),
    svgFrom(barChart({ title, categories, series, stacked: true })),
    legend(series),
    dataTable(title, ['From', ...series.map((s) => s.label)], categories.flatMap((c, i) => (series.some((s) => s.values[i]) ? [[c, ...series.map((s) => s.values[i])]] : []))),
  )
}

function outcomes(stats: Figures) {
  const totals = OUTCOMES.map((o) => ({
    ...o,
    value: Object.values(stats.perKind).reduce((sum, k) => sum + o.statuses.reduce((a, s) => a + (k[s] ?? 0), 0), 0),
  }))
  const all = totals.reduce((a, t) => a + t.value, 0)
  const share = (v: number) => (all ? percent(v / all) : '—')
  return h(
    'figure',
    { class: 'figure', id: 'chart-outcomes' },
    h('figcaption', {}, h('h3', {}, 'How jobs ended'), h('p', {}, `${all} job${all === 1 ? '' : 's'}: success, error and timed-out shares.`)),
    svgFrom(shareBar('Shares of job outcomes', totals)),
    legend(totals.map((t) => ({ label: `${t.label}: ${t.value} (${share(t.value)})`, color: t.color }))),
  )
}

function latency(stats: Figures) {
  const { boundsMs, toFirstFeedback, toResult } = stats.latency
  const categories = [...boundsMs.map((b) => `≤${duration(b)}`), `>${duration(boundsMs[boundsMs.length - 1])}`]
  const series: Series[] = [
    { label: `to first feedback (p50 ${duration(stats.toFirstFeedbackMs.p50)}, p95 ${duration(stats.toFirstFeedbackMs.p95)})`, color: PALETTE[0], values: toFirstFeedback },
    { label: `to result (p50 ${duration(stats.toResultMs.p50)}, p95 ${duration(stats.toResultMs.p95)})`, color: PALETTE[1], values: toResult },
  ]
  const title = 'Jobs by time from request to first feedback and to result'
  return h(
    'figure',
    { class: 'figure', id: 'chart-latency' },
    h('figcaption', {}, h('h3', {}, 'Latency distribution'), h('p', {}, 'How many jobs got their first feedback, and their result, within each time.')),
    svgFrom(barChart({ title, categories, series })),
    legend(series),
    dataTable(title, ['Within', 'First feedback', 'Result'], categories.map((c, i) => [c, toFirstFeedback[i], toResult[i]])),
  )
}
