/** Which DVMs a job goes to. Pure: the router passes in what it knows. */

export type RoutingPolicy = 'all' | 'round-robin' | 'least-loaded'

export interface Candidate {
  pubkey: string
  live: boolean
  openJobs: number
}

/**
 * A request naming DVMs with `p` tags goes to those (live or not: the customer chose them);
 * otherwise live DVMs of its kind are chosen by the policy. `turn` counts round-robin turns;
 * `exclude` holds DVMs already offered the job (for a re-offer).
 */
export function chooseDvms(
  candidates: Candidate[],
  targets: string[],
  policy: RoutingPolicy,
  turn: number,
  exclude: ReadonlySet<string> = new Set(),
): string[] {
  if (targets.length > 0) return targets.filter((t) => !exclude.has(t))
  const live = candidates.filter((c) => c.live && !exclude.has(c.pubkey)).sort((a, b) => (a.pubkey < b.pubkey ? -1 : 1))
  if (live.length === 0) return []
  switch (policy) {
    case 'all':
      return live.map((c) => c.pubkey)
    case 'round-robin':
      return [live[turn % live.length].pubkey]
    case 'least-loaded':
      return [live.reduce((best, c) => (c.openJobs < best.openJobs ? c : best)).pubkey]
  }
}
