/**
 * The seed's capability profiles: what an agent may touch is decided by what it is given
 * mounted, and how.
 */
import type { FileService } from '../fs/types'
import { CowFs } from '../services/cow'
import { MemFs } from '../services/mem'
import { Namespace } from '.'

export interface AgentServices {
  task: FileService
  /** The workspace as the agent finds it; an untrusted agent writes over a copy-on-write layer. */
  workspace: FileService
  logs?: FileService
  tmp?: FileService
  http?: FileService
  ws?: FileService
  nostr?: FileService
}

/**
 * An untrusted agent: /task read-only, /workspace copy-on-write (the base never changes),
 * /logs and /tmp in memory, /cap/nostr read-only, no /cap/http and no /cap/ws.
 */
export function untrustedNamespace(services: AgentServices): Namespace {
  const builder = Namespace.builder()
    .mount('/task', services.task, { mode: 'ro' })
    .mount('/workspace', new CowFs(services.workspace))
    .mount('/logs', services.logs ?? new MemFs())
    .mount('/tmp', services.tmp ?? new MemFs())
  if (services.nostr) builder.mount('/cap/nostr', services.nostr, { mode: 'ro' })
  return builder.build()
}

/** A trusted agent: everything it is given, read-write. */
export function trustedNamespace(services: AgentServices): Namespace {
  const builder = Namespace.builder()
    .mount('/task', services.task)
    .mount('/workspace', services.workspace)
    .mount('/logs', services.logs ?? new MemFs())
    .mount('/tmp', services.tmp ?? new MemFs())
  if (services.http) builder.mount('/cap/http', services.http)
  if (services.ws) builder.mount('/cap/ws', services.ws)
  if (services.nostr) builder.mount('/cap/nostr', services.nostr)
  return builder.build()
}
