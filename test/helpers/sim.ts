import { env } from 'cloudflare:workers'

/**
 * Helpers for tests (running in workerd) that talk to the Udesk simulator over HTTP. The
 * simulator is started once for the whole run by test/helpers/global-setup.ts.
 */
export const DEV_UDESK = { email: 'admin@example.com', token: 'dev-udesk-token' } as const

export interface SimInstanceInfo {
  id: string
  /** `{SIM}/_sim/instances/{id}/open_api_v1`, the Udesk base URL of the instance */
  baseUrl: string
  /** `{SIM}/_sim/instances/{id}/_sim`, its control API */
  controlUrl: string
}

export type SimFault =
  | { kind: 'code'; code: number; message?: string }
  | { kind: 'http'; status: 429 | 500 | 502 | 503 | 504; retryAfter?: number }
  | { kind: 'latency'; ms: number }
  | { kind: 'commit_then_timeout'; ms?: number }
  | { kind: 'network' }

export interface SimFaultRule {
  method?: string
  /** API path after `/open_api_v1`, e.g. `/tickets` or `/tickets/:id` */
  path?: string
  /** substring of the raw body or query string: scopes the fault to one test's data */
  match?: string
  times?: number
  probability?: number
  fault: SimFault
}

export interface SimCall {
  seq: number
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  bodyBytes: number
  status: number | null
  code: number | null
  fault: SimFault['kind'] | null
}

export interface SimReply {
  id: number
  content: string
  content_format: 'html' | 'text'
  function_type: 'internal' | 'external'
  author: { id: number; user_type: 'agent' | 'customer'; email: string | null; nick_name: string }
  attachments: { url: string; file_name: string; file_size: number }[]
}

export interface SimTicket {
  id: number
  field_num: string
  subject: string
  content: string
  user_id: number | null
  user_email: string | null
  priority: string
  status: string
  status_en: 'open' | 'resolved' | 'closed' | 'solving'
  tags: string
  custom_fields: Record<string, unknown>
  attachments: { name: string; url: string }[]
  replies: SimReply[]
  change_logs: {
    id: number
    changes: { field: string; old_value: string | null; new_value: string | null }[]
  }[]
  [field: string]: unknown
}

export interface SimCustomer {
  id: number
  nick_name: string
  email: string | null
  cellphones: { id: number; content: string }[]
  web_token: string | null
  description: string | null
}

/** The simulator's root URL (a port picked per test run), from the SIM_URL binding. */
export function simUrl(): string {
  const url = (env as unknown as { SIM_URL?: unknown }).SIM_URL
  if (typeof url !== 'string') throw new Error('SIM_URL binding missing (see vitest.config.mts)')
  return url
}

/** The shared default instance: never reset it; scope faults with `match`. */
export function defaultSim(): SimInstanceInfo {
  return { id: 'default', baseUrl: `${simUrl()}/open_api_v1`, controlUrl: `${simUrl()}/_sim` }
}

export async function createSimInstance(
  options: { email?: string; token?: string; maxRequestsPerMinute?: number | null } = {},
): Promise<SimInstanceInfo> {
  const response = await fetch(`${simUrl()}/_sim/instances`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(options),
  })
  if (!response.ok) throw new Error(`creating a sim instance: HTTP ${response.status}`)
  return response.json()
}

/** Calls the control API; `json` is sent as the JSON body. Throws unless the answer is 2xx. */
export async function simControl<T = unknown>(
  controlUrl: string,
  path: string,
  init: { method?: string; json?: unknown } = {},
): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: init.json === undefined ? undefined : { 'content-type': 'application/json' },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`sim control ${path}: HTTP ${response.status} ${text}`)
  return JSON.parse(text) as T
}

/** Adds a fault rule; returns its id. */
export async function addFault(controlUrl: string, rule: SimFaultRule): Promise<string> {
  const { id } = await simControl<{ id: string }>(controlUrl, '/faults', { json: rule })
  return id
}

/** Udesk calls the instance received after `since` (a `seq`), oldest first. */
export async function simCalls(controlUrl: string, since = 0): Promise<SimCall[]> {
  const { calls } = await simControl<{ calls: SimCall[] }>(controlUrl, `/calls?since=${since}`)
  return calls
}

export function simState(
  controlUrl: string,
): Promise<{ tickets: SimTicket[]; customers: SimCustomer[] }> {
  return simControl(controlUrl, '/state')
}

/** Moves the instance's clock forward (reply uploads and export scrolls expire by it). */
export function advanceClock(sim: SimInstanceInfo, advanceMs: number) {
  return simControl(sim.controlUrl, '/clock', { json: { advanceMs } })
}

/** `POST /tickets` on the instance with this subject: the raw answer, whatever faults do to it. */
export function postTicket(sim: SimInstanceInfo, subject: string, signal?: AbortSignal) {
  const ticket = { subject, content: 'The printer is on fire' }
  return udeskCall(sim.baseUrl, 'POST', '/tickets', { ticket }, { signal })
}

/** The subjects of the tickets the instance holds, oldest first. */
export async function ticketSubjects(sim: SimInstanceInfo): Promise<string[]> {
  return (await simState(sim.controlUrl)).tickets.map((t) => t.subject)
}

/** `POST /customers` on the instance, nick_name the email's local part; answers the new id. */
export async function createSimCustomer(
  sim: SimInstanceInfo,
  email: string,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const answer = await udeskJson(sim.baseUrl, 'POST', '/customers', {
    customer: { email, nick_name: email.split('@')[0], ...extra },
  })
  return (answer.customer as { id: number }).id
}

/** sha256 hex of `email&token&timestamp&nonce&v2`, written out here as docs/udesk-api.md says. */
export async function udeskSignHex(email: string, token: string, timestamp: string, nonce: string) {
  const text = [email, token, timestamp, nonce, 'v2'].join('&')
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export interface SigningOptions {
  email: string
  token: string
  /** Unix seconds; now by default */
  timestamp?: number
  /** a fresh UUID by default */
  nonce?: string
  /** signing parameters to leave out, to test their absence */
  omit?: ('email' | 'timestamp' | 'sign' | 'nonce' | 'sign_version')[]
  signVersion?: string
}

/**
 * `{baseUrl}{path}` with the signing parameters added (path may carry its own query, e.g.
 * `/tickets/detail?num=%23848`). Signs by hand, independent of src/udesk.
 */
export async function signedUdeskUrl(baseUrl: string, path: string, options: SigningOptions) {
  const url = new URL(`${baseUrl}${path}`)
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const nonce = options.nonce ?? crypto.randomUUID()
  const sign = await udeskSignHex(options.email, options.token, timestamp, nonce)
  const params = {
    email: options.email,
    timestamp,
    sign,
    nonce,
    sign_version: options.signVersion ?? 'v2',
  }
  for (const [name, value] of Object.entries(params)) {
    if (!options.omit?.includes(name as keyof typeof params)) url.searchParams.set(name, value)
  }
  return url.toString()
}

export interface UdeskCallOptions {
  /** the development credentials by default */
  credentials?: { email: string; token: string }
  signal?: AbortSignal
}

/** One signed JSON call to a simulator instance. */
export async function udeskCall(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  options: UdeskCallOptions = {},
): Promise<Response> {
  return fetch(await signedUdeskUrl(baseUrl, path, options.credentials ?? DEV_UDESK), {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: options.signal,
  })
}

/** A Udesk answer: `code` 1000 or an error code, and whatever else the endpoint returns. */
export type UdeskAnswer = { code: number; message?: unknown; [field: string]: unknown }

/** `udeskCall`, read as JSON. */
export async function udeskJson(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<UdeskAnswer> {
  return (await udeskCall(baseUrl, method, path, body)).json()
}

/** One signed upload (`upload_file`, `upload_file_for_reply`): the file is the raw body. */
export async function udeskUpload(
  baseUrl: string,
  path: string,
  body: Uint8Array | string,
  contentType = 'application/octet-stream',
): Promise<Response> {
  const url = await signedUdeskUrl(baseUrl, path, DEV_UDESK)
  return fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body })
}
