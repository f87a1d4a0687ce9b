import { concatBytes, fromHex, importHmacKey, utf8 } from './encoding'
import { isFreshTimestamp, type Verdict } from './verdict'

export type GrafanaHmacVerdict = Verdict<
  'missing_signature' | 'stale_timestamp' | 'malformed_signature' | 'no_matching_signature'
>

export interface GrafanaSignedRequest {
  /** The webhook contact point's HMAC secrets; any of them may have signed (rotation). */
  secrets: string[]
  /** The signature header's value: hex HMAC-SHA256. */
  signature: string | null
  /** The timestamp header's value, or undefined when the source signs the body alone. */
  timestamp: string | null | undefined
  body: Uint8Array
  nowMs: number
}

/**
 * Grafana's webhook HMAC (`hmacConfig` of the webhook contact point, Grafana 12): hex
 * HMAC-SHA256 with the secret over `{timestamp}:{body}` when a timestamp header is configured,
 * else over the raw body alone. The timestamp (Unix seconds) must be within MAX_CLOCK_SKEW_S.
 */
export async function verifyGrafanaHmac(
  request: GrafanaSignedRequest,
): Promise<GrafanaHmacVerdict> {
  const { signature, timestamp } = request
  if (!signature || timestamp === null) return { ok: false, reason: 'missing_signature' }
  if (timestamp !== undefined && !isFreshTimestamp(timestamp, request.nowMs)) {
    return { ok: false, reason: 'stale_timestamp' }
  }
  const mac = fromHex(signature.trim())
  if (!mac || mac.byteLength !== 32) return { ok: false, reason: 'malformed_signature' }
  const signed =
    timestamp === undefined
      ? concatBytes(request.body)
      : concatBytes(utf8(`${timestamp}:`), request.body)
  for (const secret of request.secrets) {
    const key = await importHmacKey(utf8(secret))
    if (await crypto.subtle.verify('HMAC', key, mac, signed)) return { ok: true }
  }
  return { ok: false, reason: 'no_matching_signature' }
}
