/**
 * Bar charts as SVG markup, sized by their viewBox so they scale with the page. Pure. Every
 * bar carries a <title> with its figure; the views put the same figures in a table too.
 */

export interface Series {
  label: string
  color: string
  values: number[]
}

export interface BarChart {
  /** The accessible name of the figure. */
  title: string
  /** One label per bar (or group of bars), left to right. */
  categories: string[]
  series: Series[]
  /** Series on top of each other (true) or side by side. */
  stacked?: boolean
}

/** Colours with at least 3:1 contrast against the page, light or dark, and apart from each other. */
export const PALETTE = ['#3b6fd4', '#d9730d', '#2f9e44', '#ae3ec9', '#e03131', '#0c8599', '#846358', '#5c7cfa']

const W = 480
const H = 220
const M = { top: 12, right: 8, bottom: 30, left: 44 }

export const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/** The smallest of 1, 2, 5 × 10^k at or above `n` (at least 1). */
export function niceCeil(n: number): number {
  if (n <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(n))
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= n) as number
}

const num = (n: number) => Math.round(n * 10) / 10

export function barChart({ title, categories, series, stacked = false }: BarChart): string {
  const n = categories.length
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const totals = categories.map((_, i) => series.map((s) => s.values[i] ?? 0))
  const top = niceCeil(Math.max(0, ...totals.map((v) => (stacked ? v.reduce((a, b) => a + b, 0) : Math.max(0, ...v)))))
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const band = plotW / Math.max(1, n)
  const group = band * 0.8
  const out: string[] = []
  for (const tick of [0, top / 2, top]) {
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${num(y(tick))}" y2="${num(y(tick))}"/>`)
    out.push(`<text class="axis" x="${M.left - 6}" y="${num(y(tick) + 4)}" text-anchor="end">${num(tick)}</text>`)
  }
  categories.forEach((category, i) => {
    const x0 = M.left + i * band + (band - group) / 2
    let base = 0
    series.forEach((s, j) => {
      const v = s.values[i] ?? 0
      if (v <= 0) return
      const w = stacked ? group : group / series.length
      const x = stacked ? x0 : x0 + j * w
      const from = stacked ? base : 0
      base += v
      const label = `${category} · ${s.label}: ${v}`
      out.push(
        `<rect x="${num(x)}" y="${num(y(from + v))}" width="${num(Math.max(1, w - 1))}" height="${num(y(from) - y(from + v))}" fill="${s.color}"><title>${escapeXml(label)}</title></rect>`,
      )
    })
  })
  // A few labels fit under the bars; the rest are in each bar's title and the figures table.
  const every = Math.ceil(n / 4)
  categories.forEach((category, i) => {
    if (i % every !== 0) return
    out.push(`<text class="axis" x="${num(M.left + (i + 0.5) * band)}" y="${H - 10}" text-anchor="middle">${escapeXml(category)}</text>`)
  })
  return svg(title, W, H, out)
}

/** One bar across the width, split into the parts' shares. */
export function shareBar(title: string, parts: Array<{ label: string; value: number; color: string }>): string {
  const total = parts.reduce((a, p) => a + p.value, 0)
  const out: string[] = [`<rect class="track" x="0" y="0" width="${W}" height="36" rx="4"/>`]
  let x = 0
  for (const p of parts) {
    if (p.value <= 0 || total === 0) continue
    const w = (p.value / total) * W
    out.push(`<rect x="${num(x)}" y="0" width="${num(w)}" height="36" fill="${p.color}"><title>${escapeXml(`${p.label}: ${p.value}`)}</title></rect>`)
    x += w
  }
  return svg(title, W, 36, out)
}

const svg = (title: string, w: number, h: number, body: string[]) =>
  `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="${escapeXml(title)}" xmlns="http://www.w3.org/2000/svg">${body.join('')}</svg>`
