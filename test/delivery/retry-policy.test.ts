import { describe, it } from 'vitest'
import {
  backoffDelayMs,
  classifyFailure,
  MAX_QUEUE_DELAY_S,
  toDelaySeconds,
  WAIT_CAP_MS,
  waitDelayMs,
} from '../../src/delivery/retry-policy'
import { QUEUE_ATTEMPTS_CAP } from '../../src/delivery/consumer'
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

describe('waitDelayMs (a message that only waits)', () => {
  const now = 1_700_000_000_000
  const wait = { now, untilMs: now + 3_000, baseMs: 2_000 }

  it('grows with the queue delivery count, with full jitter, up to five minutes', ({ expect }) => {
    const delays = [1, 5, 9, 60].map((attempt) => waitDelayMs({ ...wait, attempt, random: 0.5 }))

    // The first returns stay near the wait itself; later ones spread out to the cap.
    expect(delays).toEqual([3_000, 16_000, 150_000, 150_000])
    expect(waitDelayMs({ ...wait, attempt: 60, random: 0.999 })).toBe(299_700)
    expect(WAIT_CAP_MS).toBe(300_000)
  })

  it('never comes back before the wait is over, nor in under a second', ({ expect }) => {
    const long = waitDelayMs({ ...wait, untilMs: now + 40_000, attempt: 3, random: 0.5 })
    const none = waitDelayMs({ ...wait, untilMs: now - 5_000, attempt: 1, random: 0 })

    expect([long, none]).toEqual([40_000, 1_000])
  })

  it("lets the consumer's 90 deliveries cover hours of waiting, not minutes", ({ expect }) => {
    const totalMs = (random: number) =>
      Array.from({ length: QUEUE_ATTEMPTS_CAP }, (_, i) =>
        waitDelayMs({ ...wait, untilMs: now, attempt: i + 1, random }),
      ).reduce((a, b) => a + b, 0)

    // An average draw: about 3.5 hours before a waiting event is dead-lettered.
    expect(totalMs(0.5) / 3_600_000).toBeCloseTo(3.5, 0)
    expect(totalMs(0.999) / 3_600_000).toBeGreaterThan(6.9)
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
