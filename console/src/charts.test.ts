import { describe, expect, it } from 'vitest'
import { barChart, escapeXml, niceCeil, shareBar } from './charts'

const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"><title>([^<]*)<\/title>/g)]
  .map((m) => ({ x: +m[1], y: +m[2], w: +m[3], h: +m[4], fill: m[5], title: m[6] }))

describe('barChart', () => {
  const series = [
    { label: '5050', color: '#111', values: [1, 0, 4] },
    { label: '5100', color: '#222', values: [1, 2, 0] },
  ]

  it('draws one bar per non-zero figure, named by its title', () => {
    const bars = rects(barChart({ title: 'Jobs', categories: ['a', 'b', 'c'], series, stacked: true }))
    expect(bars.map((b) => b.title)).toEqual(['a · 5050: 1', 'a · 5100: 1', 'b · 5100: 2', 'c · 5050: 4'])
  })

  it('stacks series: heights add up to the column total, and the tallest column reaches the top of the scale', () => {
    const bars = rects(barChart({ title: 'Jobs', categories: ['a', 'b', 'c'], series, stacked: true }))
    const unit = bars[3].h / 4 // c = 4 of a scale that ends at 5
    expect(bars[0].h + bars[1].h).toBeCloseTo(2 * unit, 0)
    expect(bars[0].y).toBeCloseTo(bars[1].y + bars[1].h, 0)
  })

  it('puts series side by side when not stacked', () => {
    const [a5050, a5100] = rects(barChart({ title: 'L', categories: ['a', 'b', 'c'], series }))
    expect(a5100.x).toBeGreaterThan(a5050.x)
    expect(a5100.h).toBeCloseTo(a5050.h, 1)
  })

  it('draws only the axes without data', () => {
    const svg = barChart({ title: 'Empty', categories: [], series: [] })
    expect(rects(svg)).toEqual([])
    expect(svg).toContain('aria-label="Empty"')
  })

  it('escapes what it writes', () => {
    expect(barChart({ title: '<b>', categories: ['"x"'], series: [] })).toContain('&lt;b&gt;')
    expect(escapeXml(`a&'"`)).toBe('a&amp;&#39;&quot;')
  })
})

describe('shareBar', () => {
  it('splits the width by share', () => {
    const bars = rects(shareBar('Outcomes', [{ label: 'success', value: 3, color: 'g' }, { label: 'error', value: 1, color: 'r' }, { label: 'none', value: 0, color: 'x' }]))
    expect(bars.map((b) => b.title)).toEqual(['success: 3', 'error: 1'])
    expect(bars[0].w / bars[1].w).toBeCloseTo(3, 1)
  })
})

describe('niceCeil', () => {
  it.each([[0, 1], [1, 1], [3, 5], [7, 10], [11, 20], [480, 500]])('%s → %s', (n, v) => expect(niceCeil(n)).toBe(v))
})
