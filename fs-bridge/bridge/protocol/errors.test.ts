import { describe, expect, it } from 'vitest'
import { FS_ERROR_CODES, FsError } from '../../../sdk/fs/error'
import { WIRE_CODES, wireCodeOf, wireError } from './errors'

describe('wire errors', () => {
  it('maps every FsError code onto a wire code', () => {
    for (const code of FS_ERROR_CODES) expect(WIRE_CODES).toContain(wireCodeOf(code))
    expect(wireCodeOf('not-found')).toBe('ENOENT')
    expect(wireCodeOf('read-only')).toBe('EROFS')
    expect(wireCodeOf('conflict')).toBe('ECONFLICT')
    expect(wireCodeOf('not-empty')).toBe('ENOTEMPTY')
  })

  it('keeps a service error\'s detail and path', () => {
    expect(wireError(new FsError('not-found', 'no such file', '/w/a'))).toEqual({ code: 'ENOENT', message: 'no such file (/w/a)' })
    expect(wireError(new FsError('permission-denied', 'nope'))).toEqual({ code: 'EACCES', message: 'nope' })
  })

  it('hides the text of anything that is not an FsError', () => {
    expect(wireError(new Error('D1_ERROR: table secrets has no column x'))).toEqual({ code: 'EIO', message: 'internal error' })
  })
})
