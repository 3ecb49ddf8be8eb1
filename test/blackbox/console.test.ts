/**
 * The web console in a real headless browser (Debian's chromium, driven by playwright-core)
 * against the running worker, with a DVM built on nostr-tools in this process. Screenshots go
 * to test/artifacts/.
 */
import { mkdirSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { Relay, useWebSocketImplementation } from 'nostr-tools/relay'
import { eventually, fetchInfo, newKey, now, relayHttpUrl, relayUrl, sign, type Key } from './helpers'

useWebSocketImplementation(WebSocket)

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url))
const getJson = async (path: string) => (await fetch(relayHttpUrl() + path)).json() as Promise<any>
/** Polls until the page shows what is expected; the charts refresh every 10 s. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000 })

/** A DVM for kind 5050: announces itself, says it is processing, then answers with text and code. */
async function startCodeDvm(key: Key, name: string) {
  const relay = await Relay.connect(relayUrl(), { enablePing: false })
  await relay.publish(sign(key, { kind: 31990, tags: [['d', name], ['k', '5050']], content: JSON.stringify({ name, about: 'answers with the prompt and a code sample' }) }))
  relay.subscribe([{ kinds: [5050], '#p': [key.pk], since: now() - 5 }], {
    onevent: async (req) => {
      const about = [['e', req.id], ['p', req.pubkey]]
      await relay.publish(sign(key, { kind: 7000, tags: [['status', 'processing', 'writing code'], ...about] }))
      const input = req.tags.find((t) => t[0] === 'i')?.[1] ?? ''
      const content = `You asked: ${input}\n\n\`\`\`js\nconst answer = 42\n\`\`\``
      await relay.publish(sign(key, { kind: 6050, tags: [['request', JSON.stringify(req)], ...about], content }))
    },
  })
  return relay
}

/** WCAG contrast ratio of two CSS rgb()/rgba() colours. */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl
  }
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x)
  return (hi + 0.05) / (lo + 0.05)
}

describe('web console', () => {
  const dvmKey = newKey()
  const dvmName = `console-dvm-${randomUUID().slice(0, 8)}`
  let dvm: Relay
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const errors: string[] = []
  const shot = (p: Page, name: string) => p.screenshot({ path: `${ARTIFACTS}console-${name}.png`, fullPage: true })
  const open = async (route: string, p = page) => {
    await p.goto(`${relayHttpUrl()}/#/${route}`)
    await p.getByText(/^Connected to ws:/).waitFor()
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    dvm = await startCodeDvm(dvmKey, dvmName)
    await eventually(async () => (await getJson('/dvms?kind=5050')).some((d: { pubkey: string; live: boolean }) => d.pubkey === dvmKey.pk && d.live))
    browser = await chromium.launch({ executablePath: CHROMIUM })
    context = await browser.newContext({ viewport: { width: 1200, height: 900 } })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
  })
  afterAll(async () => {
    await browser?.close()
    dvm?.close()
  })

  it('is served at / to browsers, while NIP-11 and WebSockets stay there', async () => {
    const res = await fetch(relayHttpUrl(), { headers: { Accept: 'text/html' } })
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await res.text()).toContain('<main id="main"')
    expect((await fetchInfo()).self).toMatch(/^[0-9a-f]{64}$/)
    await open('dvms')
    expect(await page.title()).toBe('DVMs · relay console')
  })

  it('lists every registered DVM with its kinds, liveness and record', async () => {
    await open('dvms')
    const card = page.locator(`li.dvm[data-pubkey="${dvmKey.pk}"]`)
    await card.waitFor()
    await poll(() => card.innerText()).toContain('5050 · text generation')
    const text = await card.innerText()
    expect(text).toContain(dvmName)
    expect(text).toContain('answers with the prompt and a code sample')
    expect(text).toMatch(/\blive\b/)
    expect(text).toContain('Price')
    const listed = (await getJson('/dvms')).map((d: { pubkey: string }) => d.pubkey).sort()
    await poll(async () => (await page.locator('li.dvm').evaluateAll((els) => els.map((e) => e.getAttribute('data-pubkey')))).sort()).toEqual(listed)
    await shot(page, 'dvms')
  })

  let jobId = ''
  it('sends a job to the chosen DVM and shows its feedback and result as they arrive', async () => {
    await open(`try?kind=5050&dvm=${dvmKey.pk}`)
    await poll(() => page.locator('#try-dvm').inputValue()).toBe(dvmKey.pk)
    await page.getByLabel('Input', { exact: true }).fill('a line of JavaScript')
    await page.getByRole('button', { name: 'Send job request' }).click()
    const result = page.locator('.result')
    await result.waitFor({ timeout: 15_000 })
    expect(await result.innerText()).toContain('You asked: a line of JavaScript')
    expect(await result.locator('.tok-keyword').first().innerText()).toBe('const')
    expect(await result.locator('.tok-number').first().innerText()).toBe('42')
    await poll(() => page.locator('.timeline').innerText()).toMatch(/processing\s+writing code/)
    await poll(() => page.locator('.job-status').innerText()).toContain('success')
    jobId = (await page.getByRole('link', { name: /^job / }).getAttribute('href'))!.replace('#/jobs/', '')
    expect(jobId).toMatch(/^[0-9a-f]{64}$/)
    expect(await getJson(`/jobs/${jobId}`)).toMatchObject({ status: 'success', provider: dvmKey.pk })
    await shot(page, 'try')
  })

  it('lists the job live and opens its page', async () => {
    await open('jobs')
    const row = page.locator(`tr[data-job="${jobId}"]`)
    await row.waitFor()
    await poll(() => row.innerText()).toMatch(/success/)
    expect(await row.innerText()).toContain(dvmName)
    await shot(page, 'jobs')
    await row.getByRole('link').click()
    await page.locator('.result').waitFor()
    expect(await page.locator('main').innerText()).toContain('a line of JavaScript')
    await shot(page, 'job')
  })

  it('shows a job request published elsewhere as it arrives and as its status changes', async () => {
    await open('jobs')
    await page.locator('tbody tr').first().waitFor()
    const request = sign(newKey(), { kind: 5050, tags: [['i', 'from another client', 'text'], ['p', dvmKey.pk]] })
    const client = await Relay.connect(relayUrl(), { enablePing: false })
    await client.publish(request)
    client.close()
    const row = page.locator(`tr[data-job="${request.id}"]`)
    await row.waitFor()
    await poll(() => row.innerText()).toMatch(/success/)
    // The relay's job row trails the events a little; the charts below read it.
    await eventually(async () => (await getJson(`/jobs/${request.id}`)).status === 'success')
  })

  it('draws the charts from /stats', async () => {
    await open('charts')
    await page.locator('#chart-latency svg').waitFor()
    // Each figure is compared with /stats read at the same time, until the page's refresh agrees.
    const sum = (titles: string[], label: string) => titles.filter((t) => t.includes(label)).reduce((n, t) => n + Number(t.split(': ').pop()), 0)
    const titles = (chart: string) => page.locator(`${chart} svg rect title`).allTextContents()
    const total = (values: number[] = []) => values.reduce((a, b) => a + b, 0)
    const agree = async () => {
      const stats = await getJson('/stats')
      const success = Object.values(stats.perKind as Record<string, Record<string, number>>).reduce((a, k) => a + (k.success ?? 0), 0)
      return [
        sum(await titles('#chart-timeline'), '5050 · text generation') === total(stats.timeline.perKind['5050']) && total(stats.timeline.perKind['5050']) >= 2,
        (await page.locator('#chart-outcomes .legend').innerText()).includes(`success: ${success} (`),
        sum(await titles('#chart-latency'), 'to result') === stats.toResultMs.n,
      ]
    }
    await poll(agree).toEqual([true, true, true])
    await shot(page, 'charts')
  })

  it('shows the relay: its NIP-11 facts, connections, events stored and rate', async () => {
    const info = await fetchInfo()
    await open('relay')
    const main = page.locator('main')
    await poll(() => main.innerText()).toContain('Events stored')
    const text = await main.innerText()
    expect(text).toContain(info.name)
    expect(text).toContain(info.software)
    const figure = async (label: string) => Number((await page.locator('.figure-box', { hasText: label }).locator('dd').innerText()).replace(/,/g, ''))
    expect(await figure('Connections')).toBeGreaterThanOrEqual(1)
    expect(await figure('Events stored')).toBeGreaterThanOrEqual(4)
    expect(await figure('Events per second')).toBeGreaterThan(0)
    await shot(page, 'relay')
  })

  it('fits a phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true })
    for (const route of ['dvms', 'jobs', 'charts', `jobs/${jobId}`, 'try', 'relay']) {
      await open(route, phone)
      await phone.locator('main h2').waitFor()
      await phone.waitForTimeout(300)
      expect(await phone.evaluate('document.documentElement.scrollWidth'), route).toBeLessThanOrEqual(360)
      if (route === `jobs/${jobId}`) await shot(phone, 'phone-job')
    }
    await phone.close()
  })

  it('can be used from the keyboard, with labelled controls and readable contrast', async () => {
    const page = await context.newPage() // a fresh load: focus starts at the top of the document
    await open('dvms', page)
    await page.keyboard.press('Tab')
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content')
    let guard = 0
    while ((await page.evaluate('document.activeElement.textContent')) !== 'Try it' && guard++ < 10) await page.keyboard.press('Tab')
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/try$/)
    await poll(() => page.evaluate('document.activeElement.tagName')).toBe('H2')
    const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select, textarea')].filter((c) => !c.labels || c.labels.length === 0).map((c) => c.id || c.name)`)
    expect(unlabelled).toEqual([])
    // Text against the nearest background behind it: body, badges, banner, current nav item.
    await open('jobs', page)
    await page.locator('.status').first().waitFor()
    const pairs = (await page.evaluate(`[...document.querySelectorAll('.status, .badge, .connection, nav a[aria-current], .intro, main p, td, th')].map((el) => {
      let bg = 'rgba(0, 0, 0, 0)', node = el
      while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { bg = getComputedStyle(node).backgroundColor; node = node.parentElement }
      if (/rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) bg = 'rgb(255, 255, 255)'
      return [el.className || el.tagName, getComputedStyle(el).color, bg]
    })`)) as Array<[string, string, string]>
    expect(pairs.length).toBeGreaterThan(5)
    for (const [what, fg, bg] of pairs) expect(contrast(fg, bg), `${what}: ${fg} on ${bg}`).toBeGreaterThanOrEqual(4.5)
    await page.close()
  })

  it('says clearly when the relay is unreachable', async () => {
    const offline = await context.newPage()
    await offline.routeWebSocket(/.*/, (ws) => ws.close())
    await offline.route((url) => url.pathname === '/dvms' || url.pathname === '/stats', (route) => route.abort('connectionrefused'))
    await offline.goto(`${relayHttpUrl()}/#/dvms`)
    const banner = offline.getByRole('alert').filter({ hasText: 'live updates are paused' })
    await banner.waitFor()
    expect(await banner.innerText()).toContain('The relay is unreachable')
    await poll(() => offline.locator('main .problem').first().innerText()).toContain('did not answer /dvms')
    await offline.goto(`${relayHttpUrl()}/#/try`)
    await offline.getByLabel('Input', { exact: true }).fill('nobody will see this')
    await offline.getByRole('button', { name: 'Send job request' }).click()
    await poll(() => offline.locator('main .problem').first().innerText()).toContain('Not sent: the relay is unreachable')
    await shot(offline, 'offline')
    await offline.close()
  })

  it('raised no script errors', () => expect(errors).toEqual([]))
})
