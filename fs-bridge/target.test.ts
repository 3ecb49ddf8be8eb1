import { describe, expect, it } from 'vitest'
import { allowList, checkTarget } from './target'

const HTTP = ['http:', 'https:']
const reason = (raw: string, allowed: string[] = []) => {
  const check = checkTarget(raw, HTTP, allowed)
  return check.ok ? null : check.reason
}

describe('outbound target policy', () => {
  it('lets public http(s) targets through', () => {
    for (const ok of ['https://example.com/a?b=c', 'http://93.184.216.34/', 'https://[2606:4700::1111]/', 'http://172.32.0.1/']) expect(reason(ok), ok).toBeNull()
  })

  it('refuses loopback, private, link-local and metadata addresses in every spelling', () => {
    for (const bad of [
      'http://127.0.0.1', 'http://127.1.2.3:8080/x', 'http://localhost/', 'http://app.localhost/', 'http://2130706433/', 'http://0x7f.1/',
      'http://10.0.0.1', 'http://172.16.5.4', 'http://192.168.1.1', 'http://100.64.0.1', 'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0', 'http://[::1]/', 'http://[::]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:a9fe:a9fe]/', 'http://[fe80::1]/',
      'http://[fd00::1]/', 'http://[64:ff9b::7f00:1]/', 'http://224.0.0.1/',
    ]) {
      expect(reason(bad), bad).not.toBeNull()
    }
  })

  it('refuses other schemes, credentials and what is not a URL', () => {
    expect(reason('file:///etc/passwd')).toMatch(/scheme file:/)
    expect(reason('ftp://example.com/')).toMatch(/scheme/)
    expect(reason('javascript:alert(1)')).toMatch(/scheme/)
    expect(reason('https://user:pw@example.com/')).toMatch(/credentials/)
    expect(reason('/relative')).toMatch(/absolute/)
  })

  it('lets listed hosts through, by host or by host and port', () => {
    expect(reason('http://localhost:8080/', allowList('localhost'))).toBeNull()
    expect(reason('http://127.0.0.1:9000/', allowList(' 127.0.0.1:9000 ,other'))).toBeNull()
    expect(reason('http://127.0.0.1/', allowList('127.0.0.1:9000'))).not.toBeNull()
    expect(reason('file:///x', allowList('localhost'))).not.toBeNull()
  })
})
