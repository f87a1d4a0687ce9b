import { UdeskError } from '../udesk/errors'

/**
 * Thrown by the rate-limited fetch instead of sending: the account's requests per minute are
 * spent for longer than a delivery should wait. Nothing reached Udesk, so it is no failure of
 * the event (it does not count toward DELIVERY_MAX_ATTEMPTS); the event waits `retryAfterMs`.
 */
export class RateLimitDeferral extends UdeskError {
  override readonly name: string = 'RateLimitDeferral'
  constructor(endpoint: string, waitMs: number, why = `the account's rate limit is spent`) {
    super(`Udesk ${endpoint} deferred: ${why} for ${waitMs} ms`, {
      kind: 'http_status',
      endpoint,
      httpStatus: 429,
      retryable: true,
      outcomeUnknown: false,
      retryAfterMs: waitMs,
    })
  }
}
