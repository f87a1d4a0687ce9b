import { RateLimitedError } from '../errors'

/** The part of Workers Rate Limiting's binding (`RateLimit`) the forms and the console use. */
export interface ClientLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

/** wrangler.toml's `[[ratelimits]]` period for FORM_RATE_LIMITER: the longest a client waits. */
export const FORM_RATE_PERIOD_S = 60

/**
 * Counts a request against its client's allowance in `scope` (key: scope + the client's IP from
 * `CF-Connecting-IP`, which Cloudflare sets and clients cannot); `false` past it. A request
 * without that header did not come through Cloudflare's edge (a unit test's direct call) and is
 * not counted. The binding counts per Cloudflare location, so the limit is approximate: it
 * stops floods, not a careful sender.
 */
export async function withinClientRate(
  limiter: ClientLimiter | undefined,
  scope: string,
  headers: Headers,
): Promise<boolean> {
  const ip = headers.get('cf-connecting-ip')
  if (!limiter || !ip) return true
  return (await limiter.limit({ key: `${scope}:${ip}` })).success
}

/**
 * Counts a post against its client's allowance for this form (`withinClientRate`, scope: the
 * source name) and refuses it with 429 and `Retry-After` past it.
 */
export async function checkClientRate(
  limiter: ClientLimiter | undefined,
  source: string,
  headers: Headers,
): Promise<void> {
  if (!(await withinClientRate(limiter, source, headers))) {
    throw new RateLimitedError(FORM_RATE_PERIOD_S)
  }
}
