import { describe, expect, it } from 'vitest'
import { bypassesCache, cacheTtl, varyNames } from './cache-policy'

const h = (init: Record<string, string> = {}) => new Headers(init)
const ttl = (response: Record<string, string>, options: { method?: string; status?: number; request?: Record<string, string> } = {}) =>
  cacheTtl(options.method ?? 'GET', h(options.request), options.status ?? 200, h(response), 1_700_000_000)

describe('proxy cache policy', () => {
  it('keeps GET responses for their explicit lifetime, s-maxage first, less their age', () => {
    expect(ttl({ 'Cache-Control': 'public, max-age=60' })).toBe(60)
    expect(ttl({ 'Cache-Control': 'max-age=60, s-maxage=300' })).toBe(300)
    expect(ttl({ 'Cache-Control': 'max-age=60', Age: '20' })).toBe(40)
    expect(ttl({ 'Cache-Control': 'max-age=60' }, { status: 404 })).toBe(60)
    const date = new Date(1_700_000_000_000).toUTCString()
    expect(ttl({ Date: date, Expires: new Date(1_700_000_120_000).toUTCString() })).toBe(120)
  })

  it('keeps nothing without explicit freshness, or that is private, no-store, no-cache, with cookies or Vary: *', () => {
    expect(ttl({})).toBe(0)
    expect(ttl({ 'Cache-Control': 'private, max-age=60' })).toBe(0)
    expect(ttl({ 'Cache-Control': 'no-store, max-age=60' })).toBe(0)
    expect(ttl({ 'Cache-Control': 'no-cache, max-age=60' })).toBe(0)
    expect(ttl({ 'Cache-Control': 'max-age=60', 'Set-Cookie': 'a=b' })).toBe(0)
    expect(ttl({ 'Cache-Control': 'max-age=60', Vary: '*' })).toBe(0)
    expect(ttl({ 'Cache-Control': 'max-age=60' }, { method: 'POST' })).toBe(0)
    expect(ttl({ 'Cache-Control': 'max-age=60' }, { status: 500 })).toBe(0)
    expect(ttl({ 'Cache-Control': 'max-age=60' }, { request: { 'Cache-Control': 'no-store' } })).toBe(0)
  })

  it('keeps a response to a request with credentials only when it says public or s-maxage', () => {
    expect(ttl({ 'Cache-Control': 'max-age=60' }, { request: { Authorization: 'Bearer x' } })).toBe(0)
    expect(ttl({ 'Cache-Control': 'public, max-age=60' }, { request: { Authorization: 'Bearer x' } })).toBe(60)
  })

  it('reads Vary and requests that refuse cached answers', () => {
    expect(varyNames(h({ Vary: 'Accept-Language, accept-encoding,Accept-Language' }))).toEqual(['accept-encoding', 'accept-language'])
    expect(varyNames(h({}))).toEqual([])
    expect(varyNames(h({ Vary: 'Accept, *' }))).toBeNull()
    expect(bypassesCache(h({ 'Cache-Control': 'no-cache' }))).toBe(true)
    expect(bypassesCache(h({ 'Cache-Control': 'max-age=0' }))).toBe(true)
    expect(bypassesCache(h({ Pragma: 'no-cache' }))).toBe(true)
    expect(bypassesCache(h({ Accept: 'text/html' }))).toBe(false)
  })
})
