import { concatBytes, fromHex, importHmacKey, utf8 } from './encoding'
import { isFreshTimestamp, type Verdict } from './verdict'

export const SLACK_SIGNATURE_HEADER = 'x-slack-signature'
export const SLACK_TIMESTAMP_HEADER = 'x-slack-request-timestamp'
const VERSION = 'v0'

export type SlackVerdict = Verdict<
  'missing_signature' | 'stale_timestamp' | 'malformed_signature' | 'no_matching_signature'
>

export interface SlackSignedRequest {
  /** Signing secrets, newest first; any of them may have signed (rotation). */
  secrets: string[]
  timestamp: string | null
  signature: string | null
  body: Uint8Array
  nowMs: number
}

/**
 * Slack's v0 scheme: `v0=` + hex HMAC-SHA256 over `v0:{timestamp}:{raw body}` with the app's
 * signing secret. The timestamp is checked first so an old signed request cannot be replayed.
 */
export async function verifySlackSignature(request: SlackSignedRequest): Promise<SlackVerdict> {
  const { timestamp, signature } = request
  if (!timestamp || !signature) return { ok: false, reason: 'missing_signature' }
  if (!isFreshTimestamp(timestamp, request.nowMs)) return { ok: false, reason: 'stale_timestamp' }
  const [version, hex] = signature.split('=', 2)
  const mac = version === VERSION && hex ? fromHex(hex) : undefined
  if (!mac || mac.byteLength !== 32) return { ok: false, reason: 'malformed_signature' }
  const signed = concatBytes(utf8(`${VERSION}:${timestamp}:`), request.body)
  for (const secret of request.secrets) {
    const key = await importHmacKey(utf8(secret))
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return { ok: true }
  }
  return { ok: false, reason: 'no_matching_signature' }
}
