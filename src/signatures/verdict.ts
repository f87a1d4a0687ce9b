/**
 * What a pure verify function decides. The route turns a bad verdict into a 401 and logs the
 * reason; the reason never names a secret or echoes a signature.
 */
export type Verdict<Reason extends string> = { ok: true } | { ok: false; reason: Reason }

/** Clock skew accepted in both directions for signed timestamps (Slack, Standard Webhooks). */
export const MAX_CLOCK_SKEW_S = 300

/** Whether a Unix timestamp in seconds (as sent, a string of digits) is within the window. */
export function isFreshTimestamp(timestamp: string, nowMs: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false
  return Math.abs(nowMs / 1000 - Number(timestamp)) <= MAX_CLOCK_SKEW_S
}
