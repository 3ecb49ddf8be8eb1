import { describe, expect, it } from 'vitest'
import { defaults, loadConfig } from './config'
import { relayInfo } from './nip11'

describe('loadConfig', () => {
  it('reads SCREAMING_SNAKE_CASE vars over the defaults', () => {
    const c = loadConfig({ MAX_MESSAGE_LENGTH: '1000', AUTH_REQUIRED: 'true', NAME: 'mine', EVENTS_PER_SECOND: 5 })
    expect(c).toMatchObject({ maxMessageLength: 1000, authRequired: true, name: 'mine', eventsPerSecond: 5, maxLimit: defaults.maxLimit })
  })
  it('refuses a limit that is not a number', () => {
    expect(() => loadConfig({ MAX_LIMIT: 'lots' })).toThrow(/maxLimit/)
  })
  it('advertises every limit in NIP-11', () => {
    const info = relayInfo(loadConfig({ MAX_SUBSCRIPTIONS: '7' }), 'f'.repeat(64))
    expect(info.limitation).toMatchObject({ max_subscriptions: 7, max_filters: defaults.maxFilters, auth_required: false })
    expect(info.self).toBe('f'.repeat(64))
    expect(info.supported_nips).toEqual(expect.arrayContaining([1, 9, 11, 40, 42, 45, 70, 89, 90]))
  })
})
