import { describe, expect, it } from 'vitest'
import { readSubscriptionCommand } from './filters'

const hex = 'cd'.repeat(32)

describe('readSubscriptionCommand', () => {
  it('opens a subscription from one filter or a list', () => {
    expect(readSubscriptionCommand({ kinds: [1], '#t': ['x'], since: 5, limit: 10 })).toEqual({ open: [{ kinds: [1], '#t': ['x'], since: 5, limit: 10 }] })
    expect(readSubscriptionCommand([{ authors: [hex] }, { '#p': [hex] }])).toEqual({ open: [{ authors: [hex] }, { '#p': [hex] }] })
  })

  it('closes by id', () => {
    expect(readSubscriptionCommand({ close: 'sub-1' })).toEqual({ close: 'sub-1' })
  })

  it('refuses what NIP-01 does not allow', () => {
    const refuses = (json: unknown, message: RegExp) => expect(() => readSubscriptionCommand(json)).toThrow(message)
    refuses([], /at least one filter/)
    refuses('x', /JSON object/)
    refuses({ kinds: ['1'] }, /"kinds"/)
    refuses({ kinds: [] }, /"kinds"/)
    refuses({ authors: ['ABC'] }, /"authors" must hold 64-character/)
    refuses({ '#e': ['short'] }, /"#e"/)
    refuses({ since: -1 }, /"since"/)
    refuses({ '#tag': ['x'] }, /unknown filter field "#tag"/)
    refuses({ close: 1 }, /close/)
    refuses({ close: 'a', kinds: [1] }, /close/)
  })
})
