/**
 * POST a JSON array of events to /?impl=relay|noble&reps=N: verifies every event N times with
 * the relay's verifier (loadVerifier: wasm, or its noble fallback) or with verifyNoble, and
 * answers how many passed. workerd's clock only advances across I/O, so the time around the
 * loop is taken after awaited timers; the bench also times the request from outside.
 */
import type { NostrEvent } from '../../relay/protocol/event'
import { loadVerifier, verifyNoble } from '../../relay/verify'

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

export default {
  async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('verifier bench worker\n')
    const url = new URL(request.url)
    const reps = Number(url.searchParams.get('reps') ?? '1')
    const events = (await request.json()) as NostrEvent[]
    const loaded = await loadVerifier()
    const noble = url.searchParams.get('impl') === 'noble'
    const verify = noble ? verifyNoble : loaded.verify
    await tick()
    const t0 = Date.now()
    let valid = 0
    for (let r = 0; r < reps; r++) for (const e of events) if (verify(e)) valid++
    await tick()
    const workerMs = Date.now() - t0
    return Response.json({ verifier: noble ? 'noble' : loaded.name, verified: reps * events.length, valid, workerMs })
  },
}
