import { describe, it } from 'vitest'
import {
  backoffDelayMs,
  classifyFailure,
  MAX_QUEUE_DELAY_S,
  toDelaySeconds,
} from '../../src/delivery/retry-policy'
import { UdeskError, type UdeskErrorDetails } from '../../src/udesk/errors'

const policy = { baseMs: 2_000, capMs: 600_000 }

function udeskError(details: Partial<UdeskErrorDetails>): UdeskError {
  return new UdeskError('Udesk POST /tickets failed', {
    kind: 'http_status',
    endpoint: 'POST /tickets',
    retryable: true,
    outcomeUnknown: false,
    ...details,
  })
}

describe('backoffDelayMs', () => {
  it('doubles the ceiling with each attempt and draws the delay below it (full jitter)', ({
    expect,
  }) => {
    const delays = [1, 2, 3, 4].map((attempt) =>
      backoffDelayMs({ ...policy, attempt, random: 0.5 }),
    )

    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000])
  })

  it('never waits longer than the cap, however many attempts failed', ({ expect }) => {
    const delay = backoffDelayMs({ ...policy, attempt: 40, random: 0.999 })

    expect(delay).toBeLessThan(600_000)
    expect(delay).toBeGreaterThan(599_000)
  })

  it('can retry at once when the draw is zero', ({ expect }) => {
    expect(backoffDelayMs({ ...policy, attempt: 3, random: 0 })).toBe(0)
  })

  it('waits at least as long as Retry-After asked', ({ expect }) => {
    const delay = backoffDelayMs({ ...policy, attempt: 1, random: 0.1, retryAfterMs: 30_000 })

    expect(delay).toBe(30_000)
  })

  it('keeps a jittered delay that is already longer than Retry-After', ({ expect }) => {
    const delay = backoffDelayMs({ ...policy, attempt: 8, random: 0.5, retryAfterMs: 1_000 })

    expect(delay).toBe(128_000)
  })
})

describe('toDelaySeconds', () => {
  it('rounds up to whole seconds, at least one and at most the queue limit', ({ expect }) => {
    expect([0, 1, 1_001, 9_999_999_999].map(toDelaySeconds)).toEqual([1, 1, 2, MAX_QUEUE_DELAY_S])
  })
})

describe('classifyFailure', () => {
  it('retries a 503 and a 429, keeping Retry-After', ({ expect }) => {
    const busy = classifyFailure(udeskError({ httpStatus: 429, retryAfterMs: 7_000 }))
    const down = classifyFailure(udeskError({ httpStatus: 503, outcomeUnknown: true }))

    expect(busy).toMatchObject({
      kind: 'retry',
      retryAfterMs: 7_000,
      errorCode: 'udesk_http_status',
    })
    expect(down).toMatchObject({ kind: 'retry', errorCode: 'udesk_http_status' })
  })

  it('retries timeouts and dropped connections', ({ expect }) => {
    const timeout = classifyFailure(udeskError({ kind: 'timeout', outcomeUnknown: true }))
    const network = classifyFailure(udeskError({ kind: 'network', outcomeUnknown: true }))

    expect([timeout.kind, network.kind]).toEqual(['retry', 'retry'])
  })

  it('gives up on a Udesk refusal code with the code and message as the reason', ({ expect }) => {
    const verdict = classifyFailure(
      udeskError({
        kind: 'udesk_code',
        retryable: false,
        udeskCode: 2000,
        udeskMessage: 'Sorry, ticket subject cannot be empty',
        httpStatus: 200,
      }),
    )

    expect(verdict).toEqual({
      kind: 'permanent',
      reason: 'udesk_rejected',
      errorCode: 'udesk_2000',
      error:
        'POST /tickets: udesk_code: http 200: code 2000: Sorry, ticket subject cannot be empty',
    })
  })

  it('retries a stale timestamp: the next attempt is signed anew', ({ expect }) => {
    const verdict = classifyFailure(
      udeskError({ kind: 'udesk_code', retryable: false, udeskCode: 2004, httpStatus: 401 }),
    )

    expect(verdict).toMatchObject({ kind: 'retry', errorCode: 'udesk_2004' })
  })

  it('retries an error of our own platform (a Durable Object reset, a KV hiccup)', ({ expect }) => {
    const verdict = classifyFailure(new Error('Durable Object reset because its code was updated'))

    expect(verdict).toMatchObject({ kind: 'retry', errorCode: 'internal' })
  })
})
