import { concatBytes, fromBase64, importHmacKey, utf8 } from './encoding'
import { isFreshTimestamp, type Verdict } from './verdict'

export const WEBHOOK_ID_HEADER = 'webhook-id'
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp'
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature'
const SECRET_PREFIX = 'whsec_'
const SIGNATURE_VERSION = 'v1'

export type StandardWebhookVerdict = Verdict<
  'missing_headers' | 'stale_timestamp' | 'no_matching_signature'
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

/**
 * Standard Webhooks (standardwebhooks.com): base64 HMAC-SHA256 over `{id}.{timestamp}.{body}`,
 * keyed with the base64-decoded part of the `whsec_` secret. Any listed signature made with
 * any configured secret passes, so both sides can rotate keys without downtime.
 */
export async function verifyStandardWebhook(
  request: StandardWebhookRequest,
): Promise<StandardWebhookVerdict> {
  const { id, timestamp, signature } = request
  if (!id || !timestamp || !signature) return { ok: false, reason: 'missing_headers' }
  if (!isFreshTimestamp(timestamp, request.nowMs)) return { ok: false, reason: 'stale_timestamp' }
  const macs = parseSignatures(signature)
  const signed = concatBytes(utf8(`${id}.${timestamp}.`), request.body)
  for (const secret of request.secrets) {
    const keyBytes = decodeSecret(secret)
    if (!keyBytes) continue
    const key = await importHmacKey(keyBytes)
    for (const mac of macs) {
      if (await crypto.subtle.verify('HMAC', key, mac, signed)) return { ok: true }
    }
  }
  return { ok: false, reason: 'no_matching_signature' }
}

function parseSignatures(header: string): Uint8Array<ArrayBuffer>[] {
  return header
    .split(' ')
    .map((entry) => entry.split(','))
    .filter(([version, value]) => version === SIGNATURE_VERSION && value)
    .map(([, value]) => fromBase64(value ?? ''))
    .filter((mac): mac is Uint8Array<ArrayBuffer> => mac?.byteLength === 32)
}

/** The key is the base64 after `whsec_`; a secret without the prefix is taken as base64. */
export function decodeSecret(secret: string): Uint8Array<ArrayBuffer> | undefined {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret
  const bytes = fromBase64(encoded)
  return bytes && bytes.byteLength > 0 ? bytes : undefined
}
