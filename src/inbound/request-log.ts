/**
 * One structured line per inbound request the bridge does not queue (refused, duplicate, ignored,
 * honeypot): accepted ones are logged by the consumer. Never a secret, a signature or the body.
 */
export interface InboundLog {
  source: string
  kind?: string
  deliveryId?: string
  eventIds?: string[]
  /** accepted, duplicate, ignored, honeypot, challenge, or the error code answered. */
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
