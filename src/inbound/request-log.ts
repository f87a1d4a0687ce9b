/**
 * One structured line per inbound request refused or queuing nothing for a reason of its own
 * (ignored, honeypot, challenge): accepted ones are logged by the consumer, duplicates a window
 * at a time (duplicate-tally.ts). Never a secret, a signature or the body.
 */
export interface InboundLog {
  source: string
  kind?: string
  deliveryId?: string
  eventIds?: string[]
  /** ignored, honeypot, challenge, own_bot, ssl_check, or the error code answered. */
  outcome: string
  status: number
  /** Why a request was refused, as the verdict names it (`stale_timestamp`, ...). */
  reason?: string
  /** Slack's retry counter, when Slack is retrying. */
  retryNum?: string
  durationMs: number
}

export function logInbound(entry: InboundLog): void {
  console.log(JSON.stringify({ msg: 'inbound', ...entry }))
}
