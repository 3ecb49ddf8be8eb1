/** NostrFs's file tree over a NostrClient, described with FuncFs's `dir` and `file`. */
import { dir, file, jsonFile, type FuncDir, type FuncFile } from '../func'
import type { NostrClient } from './client'
import { jobStatus, type Job } from './jobs'

const JSON_SUFFIX = '.json'

/** A directory of `<key>.json` files holding `get(key)`; `remove`, when given, makes them removable. */
function jsonDir(keys: () => Iterable<string>, get: (key: string) => unknown, remove?: (key: string) => void): FuncDir {
  const node = (key: string): FuncFile | undefined => {
    const value = get(key)
    if (value === undefined) return undefined
    return remove ? { ...jsonFile(() => value), remove: () => remove(key) } : jsonFile(() => value)
  }
  return dir(
    () => new Map([...keys()].map((key) => [key + JSON_SUFFIX, node(key)!])),
    (name) => (name.endsWith(JSON_SUFFIX) ? node(name.slice(0, -JSON_SUFFIX.length)) : undefined),
  )
}

function jobDir(job: Job): FuncDir {
  return dir({
    'request.json': jsonFile(() => job.request),
    status: file(() => jobStatus(job)),
    feedback: jsonDir(() => job.feedback.keys(), (id) => job.feedback.get(id)),
    results: jsonDir(() => job.results.keys(), (pubkey) => job.results.get(pubkey)),
  })
}

export function nostrTree(c: NostrClient): FuncDir {
  const job = (id: string) => {
    const found = c.jobs.get(id)
    return found && jobDir(found)
  }
  return dir({
    identity: dir({ pubkey: file(() => c.pubkey), npub: file(() => c.npub) }),
    status: jsonFile(() => c.status()),
    submit: file(() => c.lastSubmitted, (data) => c.submit(data)),
    request: file(() => c.lastRequested, (data) => c.request(data)),
    subscriptions: file(
      () => JSON.stringify(c.relays.subscriptions(), null, 2),
      (data) => c.subscriptions(data),
    ),
    outbox: jsonDir(() => c.outbox.ids(), (id) => c.outbox.get(id), (id) => c.withdraw(id)),
    sent: jsonDir(() => c.outbox.recordIds(), (id) => c.outbox.record(id)),
    inbox: jsonDir(() => c.inbox.ids(), (id) => c.inbox.get(id)),
    arrivals: file(() => c.inbox.ids().map((id) => id + '\n').join('')),
    jobs: dir(() => new Map(c.jobs.ids().map((id) => [id, job(id)!])), job),
  })
}
