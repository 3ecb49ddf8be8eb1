import { describe, expect, it } from 'vitest'
import { FsError } from '../../../sdk/fs/error'
import { wireError } from './errors'

// The table of codes is the SDK's wire format, tested in sdk/services/remote/protocol.test.ts.
describe('wire errors', () => {
  it('keeps a service error\'s detail and path', () => {
    expect(wireError(new FsError('not-found', 'no such file', '/w/a'))).toEqual({ code: 'ENOENT', message: 'no such file (/w/a)' })
    expect(wireError(new FsError('permission-denied', 'nope'))).toEqual({ code: 'EACCES', message: 'nope' })
  })

  it('hides the text of anything that is not an FsError', () => {
    expect(wireError(new Error('D1_ERROR: table secrets has no column x'))).toEqual({ code: 'EIO', message: 'internal error' })
  })
})
