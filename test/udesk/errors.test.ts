import { describe, it } from 'vitest'
import { AppError } from '../../src/errors'
import { UdeskError, parseRetryAfter } from '../../src/udesk/errors'

const NOW = Date.parse('2026-05-04T10:00:00Z')

describe('parseRetryAfter', () => {
  it('reads delay-seconds', ({ expect }) => {
    expect(parseRetryAfter('30', NOW)).toBe(30_000)
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0)
  })

  it('reads an HTTP date as the time left until it', ({ expect }) => {
    expect(parseRetryAfter('Mon, 04 May 2026 10:00:45 GMT', NOW)).toBe(45_000)
  })

  it('never answers a negative delay for a date in the past', ({ expect }) => {
    expect(parseRetryAfter('Mon, 04 May 2026 09:59:00 GMT', NOW)).toBe(0)
  })

  it('ignores a missing or unreadable header', ({ expect }) => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined()
    expect(parseRetryAfter('', NOW)).toBeUndefined()
    expect(parseRetryAfter('soon', NOW)).toBeUndefined()
    expect(parseRetryAfter('-5', NOW)).toBeUndefined()
  })
})

describe('UdeskError', () => {
  it('is an AppError answered as 502 udesk_error, carrying its classification', ({ expect }) => {
    const error = new UdeskError('Udesk POST /tickets answered HTTP 503', {
      kind: 'http_status',
      endpoint: 'POST /tickets',
      httpStatus: 503,
      retryable: true,
      outcomeUnknown: true,
      retryAfterMs: 5000,
    })

    expect(error).toBeInstanceOf(AppError)
    expect(error.name).toBe('UdeskError')
    expect(error).toMatchObject({
      status: 502,
      code: 'udesk_error',
      kind: 'http_status',
      endpoint: 'POST /tickets',
      httpStatus: 503,
      retryable: true,
      outcomeUnknown: true,
      retryAfterMs: 5000,
    })
  })
})
