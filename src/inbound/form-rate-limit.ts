import { RateLimitedError } from '../errors'

/** The part of Workers Rate Limiting's binding (`RateLimit`) the forms use. */
export interface ClientLimiter {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

/** wrangler.toml's `[[ratelimits]]` period for FORM_RATE_LIMITER: the longest a client waits. */
export const FORM_RATE_PERIOD_S = 60

/**
 * Counts a post against its client's allowance for this form (key: source name + the client's
 * IP from `CF-Connecting-IP`, which Cloudflare sets and clients cannot) and refuses it with 429
 * and `Retry-After` past it. A request without that header did not come through Cloudflare's
 * edge (a unit test's direct call) and is not counted. The binding counts per Cloudflare
 * location, so the limit is approximate: it stops floods, not a careful sender.
 */
export async function checkClientRate(
  limiter: ClientLimiter | undefined,
  source: string,
  headers: Headers,
): Promise<void> {
  const ip = headers.get('cf-connecting-ip')
  if (!limiter || !ip) return
  const { success } = await limiter.limit({ key: `${source}:${ip}` })
  if (!success) throw new RateLimitedError(FORM_RATE_PERIOD_S)
}
