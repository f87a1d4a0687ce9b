import { isUsableDeliveryId } from '../inbound/delivery-id'
import { concatBytes, fromBase64, importHmacKey, timingSafeEqual, utf8 } from './encoding'
import { isFreshTimestamp, type Verdict } from './verdict'

export const WEBHOOK_ID_HEADER = 'webhook-id'
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp'
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature'
/** Svix, the scheme's origin, sends the same three headers under its own name. */
export const SVIX_ID_HEADER = 'svix-id'
export const SVIX_TIMESTAMP_HEADER = 'svix-timestamp'
export const SVIX_SIGNATURE_HEADER = 'svix-signature'
const SECRET_PREFIX = 'whsec_'
const SIGNATURE_VERSION = 'v1'
/**
 * Signatures one request may list. A sender lists one per key it signs with (two while it
 * rotates); more only makes the receiver compare more, so a longer list is refused.
 */
export const MAX_LISTED_SIGNATURES = 5

export type StandardWebhookVerdict = Verdict<
  | 'missing_headers'
  | 'malformed_id'
  | 'stale_timestamp'
  | 'malformed_signature'
  | 'too_many_signatures'
  | 'no_matching_signature'
>

export interface StandardWebhookRequest {
  /** `whsec_<base64>` secrets; several while a key rotates. */
  secrets: string[]
  id: string | null
  timestamp: string | null
  /** Space-separated `v1,<base64>` signatures; other versions are skipped. */
  signature: string | null
  body: Uint8Array
  nowMs: number
}

/** The three headers, as `webhook-*` or, when `webhook-id` is absent, as `svix-*`. */
export function standardWebhookHeaders(headers: Headers) {
  const svix = !headers.has(WEBHOOK_ID_HEADER) && headers.has(SVIX_ID_HEADER)
  return {
    id: headers.get(svix ? SVIX_ID_HEADER : WEBHOOK_ID_HEADER),
    timestamp: headers.get(svix ? SVIX_TIMESTAMP_HEADER : WEBHOOK_TIMESTAMP_HEADER),
    signature: headers.get(svix ? SVIX_SIGNATURE_HEADER : WEBHOOK_SIGNATURE_HEADER),
  }
}

/**
 * Standard Webhooks (standardwebhooks.com): base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`,
 * keyed with the base64-decoded part of the `whsec_` secret. Any listed signature made with
 * any configured secret passes, so both sides can rotate keys without downtime.
 *
 * Cost is bounded before any hashing: a malformed id, timestamp or signature list, or more than
 * `MAX_LISTED_SIGNATURES` entries, is refused first. Then the HMAC is computed once per
 * configured secret and compared with each listed v1 signature in constant time.
 */
export async function verifyStandardWebhook(
  request: StandardWebhookRequest,
): Promise<StandardWebhookVerdict> {
  const { id, timestamp, signature } = request
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' }
  if (!isUsableDeliveryId(id)) return { ok: false, reason: 'malformed_id' }
  if (!isFreshTimestamp(timestamp, request.nowMs)) return { ok: false, reason: 'stale_timestamp' }
  const listed = parseSignatures(signature)
  if (listed === 'malformed') return { ok: false, reason: 'malformed_signature' }
  if (listed === 'too_many') return { ok: false, reason: 'too_many_signatures' }
  if (listed.length === 0) return { ok: false, reason: 'no_matching_signature' }
  const signed = concatBytes(utf8(`${id}.${timestamp}.`), request.body)
  let ok = false
  for (const secret of request.secrets) {
    const keyBytes = decodeSecret(secret)
    if (!keyBytes) continue
    const key = await importHmacKey(keyBytes)
    const expected = await crypto.subtle.sign('HMAC', key, signed)
    // Every listed signature is compared, with no early exit on a match.
    for (const mac of listed) if (timingSafeEqual(mac, expected)) ok = true
  }
  return ok ? { ok: true } : { ok: false, reason: 'no_matching_signature' }
}

/**
 * The v1 signatures of a `version,base64` list; other versions are skipped (the spec's
 * forward compatibility), a v1 that is not 32 bytes of base64 never matches.
 */
function parseSignatures(header: string): Uint8Array<ArrayBuffer>[] | 'malformed' | 'too_many' {
  const entries = header.split(' ').filter((entry) => entry !== '')
  if (entries.length === 0) return 'malformed'
  if (entries.length > MAX_LISTED_SIGNATURES) return 'too_many'
  const macs: Uint8Array<ArrayBuffer>[] = []
  for (const entry of entries) {
    const [version, value] = entry.split(',', 2)
    if (!version || !value) return 'malformed'
    const mac = version === SIGNATURE_VERSION ? fromBase64(value) : undefined
    if (mac?.byteLength === 32) macs.push(mac)
  }
  return macs
}

/** The key is the base64 after `whsec_`; a secret without the prefix is taken as base64. */
export function decodeSecret(secret: string): Uint8Array<ArrayBuffer> | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
  const bytes = fromBase64(encoded)
  return bytes && bytes.byteLength > 0 ? bytes : undefined
}
