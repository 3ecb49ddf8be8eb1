import { describe, expect, it } from 'vitest'
import type { NostrEvent } from './event'
import { planBatch, REFUSED_DELETED, REFUSED_OLDER, type KnownState } from './batch-plan'

const alice = 'a'.repeat(64)
const bob = 'b'.repeat(64)
let seq = 0
function ev(p: Partial<NostrEvent>): NostrEvent {
  const id = (seq++).toString(16).padStart(64, '0')
  return { id, pubkey: alice, created_at: 100, kind: 1, tags: [], content: '', sig: '0'.repeat(128), ...p }
}
const none = (): KnownState => ({ storedIds: new Set(), deletedIds: new Map(), deletedAddresses: new Map(), heads: new Map() })
const ids = (plan: { insert: Array<{ event: NostrEvent }> }) => plan.insert.map((s) => s.event.id)

describe('planBatch', () => {
  it('stores new events and reports stored duplicates as duplicates', () => {
    const a = ev({}), b = ev({})
    const { outcomes, plan } = planBatch([a, b, a], { ...none(), storedIds: new Set([b.id]) })
    expect(outcomes).toEqual([{ stored: true, duplicate: false }, { stored: true, duplicate: true }, { stored: true, duplicate: true }])
    expect(ids(plan)).toEqual([a.id])
  })

  it('keeps the newest replaceable version and refuses an older one', () => {
    const head = { id: 'f'.repeat(64), created_at: 100 }
    const older = ev({ kind: 0, created_at: 99 })
    const newer = ev({ kind: 0, created_at: 101 })
    const { outcomes, plan } = planBatch([older, newer], { ...none(), heads: new Map([[`0:${alice}:`, head]]) })
    expect(outcomes[0]).toEqual({ stored: false, reason: REFUSED_OLDER })
    expect(outcomes[1]).toEqual({ stored: true, duplicate: false })
    expect(plan.replaced).toEqual([head.id])
  })

  it('breaks created_at ties by the lowest id', () => {
    const low = ev({ kind: 10002, id: '0'.repeat(63) + 'a' })
    const high = ev({ kind: 10002, id: '0'.repeat(63) + 'b' })
    expect(planBatch([high, low], none()).plan.insert.map((s) => s.event.id)).toEqual([low.id])
    const { outcomes } = planBatch([low, high], none())
    expect(outcomes[1]).toEqual({ stored: false, reason: REFUSED_OLDER })
  })

  it('keys addressable events by d tag', () => {
    const a = ev({ kind: 30023, tags: [['d', 'x']] })
    const b = ev({ kind: 30023, tags: [['d', 'y']], created_at: 50 })
    const { plan } = planBatch([a, b], none())
    expect(plan.insert.map((s) => s.address)).toEqual([`30023:${alice}:x`, `30023:${alice}:y`])
  })

  it('deletes by id only for the same author, and refuses the deleted event later', () => {
    const target = ev({})
    const deletion = ev({ kind: 5, tags: [['e', target.id], ['e', 'not-hex']] })
    const { plan } = planBatch([deletion], none())
    expect(plan.deleteIds).toEqual([[target.id, alice]])
    const resend = planBatch([target], { ...none(), deletedIds: new Map([[target.id, alice]]) })
    expect(resend.outcomes[0]).toEqual({ stored: false, reason: REFUSED_DELETED })
  })

  it('drops an event deleted later in the same batch', () => {
    const target = ev({})
    const { plan } = planBatch([target, ev({ kind: 5, tags: [['e', target.id]] })], none())
    expect(ids(plan)).not.toContain(target.id)
    const byBob = planBatch([target, ev({ pubkey: bob, kind: 5, tags: [['e', target.id]] })], none())
    expect(ids(byBob.plan)).toContain(target.id)
  })

  it('deletes addresses up to the deletion time and only the author own', () => {
    const address = `30023:${alice}:x`
    const deletion = ev({ kind: 5, created_at: 200, tags: [['a', address], ['a', `30023:${bob}:x`], ['a', `1:${alice}:`]] })
    const { plan } = planBatch([deletion], none())
    expect(plan.deleteAddresses).toEqual([[address, 200]])
    const known = { ...none(), deletedAddresses: new Map([[address, 200]]) }
    const old = ev({ kind: 30023, tags: [['d', 'x']], created_at: 200 })
    const fresh = ev({ kind: 30023, tags: [['d', 'x']], created_at: 201 })
    expect(planBatch([old, fresh], known).outcomes).toEqual([{ stored: false, reason: REFUSED_DELETED }, { stored: true, duplicate: false }])
  })

  it('never lets a deletion be deleted', () => {
    const deletion = ev({ kind: 5, tags: [] })
    const known = { ...none(), deletedIds: new Map([[deletion.id, alice]]) }
    expect(planBatch([deletion], known).outcomes[0]).toEqual({ stored: true, duplicate: false })
    const { plan } = planBatch([deletion, ev({ kind: 5, tags: [['e', deletion.id]] })], none())
    expect(ids(plan)).toContain(deletion.id)
  })

  it('reads the NIP-40 expiration', () => {
    const { plan } = planBatch([ev({ tags: [['expiration', '12345']] })], none())
    expect(plan.insert[0].expiresAt).toBe(12345)
  })
})
