/**
 * A watch on the bridge: a `watch` request whose id names the watch, notifications (25932) in
 * dense `seq` order, renewal before the bridge lets it expire, `unwatch` when stopped. A missed
 * notification (a seq gap, or a relay lost and back) is reported as a `modify` of the watched
 * path, the sign to re-read it, and to `onGap` when given.
 */
import { FsError, type FsErrorCode } from '../../fs/error'
import type { Change, WatchOptions } from '../../fs/types'
import type { BridgeLink } from './link'
import { Sequence } from './nostr-state'

export interface RemoteWatchOptions extends WatchOptions {
  /** Notifications were missed (`missed` of them, or -1 when unknown): re-read what is watched. */
  onGap?: (missed: number) => void
  /**
   * Something went wrong. `ended`: the watch is over (the bridge refused, revoked or expired it);
   * otherwise it goes on: the relay was lost (`unavailable`), and the watch resumes when it is back.
   */
  onError?: (error: FsError, ended: boolean) => void
}

const seconds = () => Math.floor(Date.now() / 1000)
/** Renew when this share of the watch's remaining life has passed; retry a failed renewal after RETRY s. */
const RENEW_AT = 0.5
const RETRY = 30
const asFsError = (err: unknown, path: string) => (FsError.is(err) ? err : new FsError('io', String(err), path))
/** Why the bridge ended a watch, as an error: the grant no longer covers it, the namespace was replaced or deleted, it expired. */
const CLOSED: Record<string, FsErrorCode> = { revoked: 'permission-denied', ended: 'not-found', expired: 'unavailable' }

export function startWatch(
  link: BridgeLink,
  ns: string,
  path: string,
  onChange: (change: Change) => void,
  options: RemoteWatchOptions = {},
): () => void {
  const sequence = new Sequence()
  const recursive = options.recursive === true
  let id: string | undefined
  let stopListening = () => {}
  let renewal: ReturnType<typeof setTimeout> | undefined
  let expiresAt = 0
  let ended = false
  let unwatched = false

  const gap = (missed: number) => {
    onChange({ type: 'modify', path })
    options.onGap?.(missed)
  }

  const end = (error?: FsError) => {
    if (ended) return
    ended = true
    clearTimeout(renewal)
    stopListening()
    if (error) options.onError?.(error, true)
  }

  const unwatch = () => {
    if (unwatched || id === undefined) return
    unwatched = true
    link.request('unwatch', ns, path, { watch_id: id }).catch(() => {})
  }

  const renewIn = (s: number) => {
    renewal = setTimeout(renew, Math.max(1, s) * 1000)
    ;(renewal as { unref?: () => void }).unref?.()
  }

  const started = (result: Record<string, unknown>) => {
    // Stopped while the request was under way: the bridge has a watch nobody wants.
    if (ended) return unwatch()
    expiresAt = Number(result.expires_at)
    if (Number.isSafeInteger(expiresAt)) renewIn((expiresAt - seconds()) * RENEW_AT)
  }

  // A renewal that could not be sent (no relay, rate-limited) is tried again while the watch lives.
  const renew = () =>
    void link.request('watch', ns, path, { recursive, watch_id: id }).then(started, (err: unknown) => {
      const error = asFsError(err, path)
      const transient = error.code === 'unavailable' || error.code === 'rate-limited'
      if (transient && seconds() + RETRY < expiresAt) renewIn(RETRY)
      else end(error)
    })

  link
    .request('watch', ns, path, { recursive }, (watchId) => {
      // A request sent again (rate-limited) is a new request, and its id names the watch.
      stopListening()
      id = watchId
      stopListening = link.listen(watchId, {
        notify: (n) => {
          if (ended) return
          const { fresh, missed } = sequence.accept(n.seq)
          if (!fresh) return
          if (missed > 0) gap(missed)
          n.changes.forEach(onChange)
          if (n.closed) end(new FsError(CLOSED[n.closed] ?? 'unavailable', `the bridge ended the watch: ${n.closed}`, path))
        },
        lost: (reason) => options.onError?.(new FsError('unavailable', `lost the relay; the watch resumes when it is back (${reason})`, path), false),
        resumed: () => gap(-1),
      })
    })
    .then(started, (err: unknown) => end(asFsError(err, path)))

  return () => {
    if (ended) return
    end()
    unwatch()
  }
}
