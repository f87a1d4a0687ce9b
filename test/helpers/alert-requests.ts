import { post } from './signed-request'

/**
 * Alertmanager and Grafana requests as each `auth` mode sends them, written from the senders'
 * documentation with WebCrypto, independently of src/signatures.
 */
const json = { 'content-type': 'application/json' }

/** `http_config.basic_auth` / Grafana's username and password: RFC 7617. */
export function basicAuthRequest(source: string, payload: unknown, user: string, password: string) {
  const credentials = btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))
  return post(source, JSON.stringify(payload), { ...json, authorization: `Basic ${credentials}` })
}

/** `http_config.authorization: { type, credentials }`: `Authorization: <type> <credentials>`. */
export function schemeRequest(source: string, payload: unknown, scheme: string, token: string) {
  return post(source, JSON.stringify(payload), { ...json, authorization: `${scheme} ${token}` })
}

/**
 * Grafana's webhook `hmacConfig`: hex HMAC-SHA256 with the secret over `{timestamp}:{body}`
 * (timestamp header set) or over the body alone (`timestamp` null).
 */
export async function grafanaHmacRequest(
  source: string,
  payload: unknown,
  secret: string,
  timestamp: number | null,
) {
  const body = JSON.stringify(payload)
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const signed = timestamp === null ? body : `${timestamp}:${body}`
  const mac = new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(signed)),
  )
  const hex = [...mac].map((b) => b.toString(16).padStart(2, '0')).join('')
  const headers: Record<string, string> = { ...json, 'x-grafana-alerting-signature': hex }
  if (timestamp !== null) headers['x-grafana-alerting-signature-timestamp'] = String(timestamp)
  return post(source, body, headers)
}
