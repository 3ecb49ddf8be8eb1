// A small NIP-01 client over `ws` for driving relays: pipelined EVENTs answered by OK,
// REQs answered by EOSE (or CLOSED), and live events for subscriptions.
import WebSocket from 'ws'

const live = new Set()

export class RelayClient {
  /** Opens a socket; rejects after `timeoutMs`. */
  /** `count` connections to `url`, opened together. */
  static openMany(url, count) {
    return Promise.all(Array.from({ length: count }, () => RelayClient.open(url)))
  }

  static open(url, { timeoutMs = 30_000 } = {}) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 })
      const timer = setTimeout(() => {
        ws.terminate()
        reject(new Error(`connect timeout after ${timeoutMs} ms`))
      }, timeoutMs)
      ws.once('open', () => {
        clearTimeout(timer)
        resolve(new RelayClient(ws))
      })
      ws.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
    })
  }

  constructor(ws) {
    this.ws = ws
    this.oks = new Map() // id -> [{ resolve, t0 }]
    this.subs = new Map() // subId -> { ids, t0, resolve, eose }
    this.notices = []
    /** Called with (subId, event, receivedAtMs) for events after EOSE. */
    this.onLive = null
    live.add(this)
    ws.on('message', (data) => this.frame(data.toString()))
    ws.on('error', () => {})
    ws.on('close', () => {
      live.delete(this)
      const err = new Error('socket closed')
      for (const list of this.oks.values()) for (const p of list) p.reject(err)
      for (const s of this.subs.values()) s.reject?.(err)
      this.oks.clear()
    })
  }

  frame(text) {
    const now = performance.now()
    const msg = JSON.parse(text)
    switch (msg[0]) {
      case 'OK': {
        const list = this.oks.get(msg[1])
        const p = list?.shift()
        if (!list?.length) this.oks.delete(msg[1])
        p?.resolve({ accepted: msg[2], message: msg[3], ms: now - p.t0 })
        return
      }
      case 'EVENT': {
        const s = this.subs.get(msg[1])
        if (s && !s.eose) s.events.push(msg[2])
        else this.onLive?.(msg[1], msg[2], now)
        return
      }
      case 'EOSE': {
        const s = this.subs.get(msg[1])
        if (s && !s.eose) {
          s.eose = true
          s.resolve({ events: s.events, ms: now - s.t0, closed: null })
        }
        return
      }
      case 'CLOSED': {
        const s = this.subs.get(msg[1])
        this.subs.delete(msg[1])
        s?.resolve({ events: s.events, ms: now - s.t0, closed: msg[2] })
        return
      }
      case 'NOTICE':
        this.notices.push(msg[1])
        return
    }
  }

  send(msg) {
    this.ws.send(JSON.stringify(msg))
  }

  /** EVENT; resolves with { accepted, message, ms } when its OK arrives. */
  publish(event) {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error('socket closed'))
      const list = this.oks.get(event.id) ?? []
      list.push({ resolve, reject, t0: performance.now() })
      this.oks.set(event.id, list)
      this.send(['EVENT', event])
    })
  }

  /** REQ; resolves at EOSE with the stored events, or at CLOSED with its reason. The sub stays open. */
  req(subId, filters) {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) return reject(new Error('socket closed'))
      this.subs.set(subId, { events: [], t0: performance.now(), resolve, reject, eose: false })
      this.send(['REQ', subId, ...filters])
    })
  }

  close(subId) {
    this.subs.delete(subId)
    if (this.ws.readyState === WebSocket.OPEN) this.send(['CLOSE', subId])
  }

  end() {
    this.ws.terminate()
    live.delete(this)
  }
}

/** Opens `n` sockets, `concurrency` at a time. */
export async function openMany(url, n, { concurrency = 100 } = {}) {
  const out = new Array(n)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++
        out[i] = await RelayClient.open(url)
      }
    }),
  )
  return out
}

/** Terminates every socket this process still has open (after a scenario or its time cap). */
export function closeAll() {
  for (const c of [...live]) c.end()
}

/**
 * Publishes events over the clients (round robin), each client keeping up to `window` EVENTs
 * in flight. Returns, per event, { accepted, message, ms } in corpus order, and the wall time.
 */
export function publishPipelined(clients, events, { window = 64 } = {}) {
  return runPipelined(clients, events.map((event) => (client) => client.publish(event)), { window })
}

/** Runs the jobs (async functions of a client) over the clients with `window` in flight per client. */
export async function runPipelined(clients, jobs, { window = 4 } = {}) {
  const results = new Array(jobs.length)
  const t0 = performance.now()
  await Promise.all(
    clients.map(async (client, k) => {
      let i = k
      const worker = async () => {
        while (i < jobs.length) {
          const idx = i
          i += clients.length
          results[idx] = await jobs[idx](client, idx)
        }
      }
      await Promise.all(Array.from({ length: window }, worker))
    }),
  )
  return { results, ms: performance.now() - t0 }
}
