/**
 * Requests to the bridge, signed the way each vendor signs them. The signing here is written
 * from the vendors' specs with WebCrypto, independently of src/signatures, so a mistake on one
 * side does not hide the same mistake on the other.
 */
export const BRIDGE_URL = 'http://bridge.test'

/** The development credentials of the README (and vitest.config.mts). */
export const DEV_SECRETS = {
  slack: 'dev-slack-signing-secret',
  alertmanager: 'dev-alertmanager-token',
  grafana: 'dev-grafana-token',
  events: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
} as const

type Headers = Record<string, string>

export const nowSeconds = () => Math.floor(Date.now() / 1000)

async function hmac(key: Uint8Array, message: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', cryptoKey, new TextEncoder().encode(message)),
  )
}

/** Slack: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export async function slackSignature(secret: string, timestamp: number, body: string) {
  const mac = await hmac(new TextEncoder().encode(secret), `v0:${timestamp}:${body}`)
  return `v0=${[...mac].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`. */
export async function standardWebhookSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
) {
  const key = Uint8Array.from(atob(secret.replace(/^whsec_/, '')), (c) => c.charCodeAt(0))
  const mac = await hmac(key, `${id}.${timestamp}.${body}`)
  return `v1,${btoa(String.fromCharCode(...mac))}`
}

/** `redirect: 'manual'`: a test sees the bridge's 303 instead of the page it points to. */
export function post(source: string, body: BodyInit | null, headers: Headers): Request {
  return new Request(`${BRIDGE_URL}/webhooks/${source}`, {
    method: 'POST',
    body,
    headers,
    redirect: 'manual',
  })
}

export interface SlackOptions {
  source?: string
  secret?: string
  timestamp?: number
  headers?: Headers
  contentType?: string
}

/** A Slack Events API delivery (JSON), or any raw body when given a string. */
export async function slackRequest(payload: unknown, options: SlackOptions = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const timestamp = options.timestamp ?? nowSeconds()
  const signature = await slackSignature(options.secret ?? DEV_SECRETS.slack, timestamp, body)
  return post(options.source ?? 'slack', body, {
    'content-type': options.contentType ?? 'application/json',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signature,
    ...options.headers,
  })
}

export interface StandardWebhookOptions {
  source?: string
  secret?: string
  id?: string
  timestamp?: number
  headers?: Headers
}

/** A Standard-Webhooks-signed delivery of the bridge's own JSON. */
export async function standardWebhookRequest(
  payload: unknown,
  options: StandardWebhookOptions = {},
) {
  const body = JSON.stringify(payload)
  const id = options.id ?? `msg_${crypto.randomUUID()}`
  const timestamp = options.timestamp ?? nowSeconds()
  const secret = options.secret ?? DEV_SECRETS.events
  return post(options.source ?? 'events', body, {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await standardWebhookSignature(secret, id, timestamp, body),
    ...options.headers,
  })
}

/** Alertmanager's or Grafana's webhook: JSON with `Authorization: Bearer`. */
export function bearerRequest(source: string, payload: unknown, token: string | null) {
  const headers: Headers = { 'content-type': 'application/json' }
  if (token !== null) headers.authorization = `Bearer ${token}`
  return post(source, JSON.stringify(payload), headers)
}

/** A browser-style urlencoded form post (no JavaScript): it accepts HTML. */
export function formPost(
  source: string,
  fields: Record<string, string | string[]>,
  headers: Headers = {},
) {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(name, v)
  }
  return post(source, body.toString(), {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    ...headers,
  })
}
