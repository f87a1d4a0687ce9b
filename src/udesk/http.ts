import type * as z from '../zod'
import { readAnswerWithin } from './answer-limit'
import { UdeskError, parseRetryAfter, type UdeskErrorDetails } from './errors'
import { EnvelopeSchema, type Envelope } from './schemas'
import { clockProblem, isSigningRefusal, MAX_RESIGNS } from './resign'
import { signUdeskRequest, type UdeskCredentials } from './sign'

/** The fetch the client calls; callers wrap it (rate limiting, recording) without patching. */
export type UdeskFetch = (url: string, init: RequestInit) => Promise<Response>
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'
export type QueryValue = string | number | undefined

export const DEFAULT_TIMEOUT_MS = 10_000
export const UDESK_SUCCESS = 1000

export interface UdeskHttpOptions {
  /** `https://{subdomain}.udesk.cn/open_api_v1`, no trailing path. */
  baseUrl: string
  credentials: UdeskCredentials
  fetch?: UdeskFetch
  /** Per attempt, covering the answer's body too (and whatever the wrapped fetch waits). */
  timeoutMs?: number
  /** Milliseconds since the epoch; the signing timestamp. */
  now?: () => number
  nonce?: () => string
}

export interface UdeskCall<T> {
  method: HttpMethod
  /** The reference's path template (`/tickets/:id`): names the endpoint in errors. */
  endpoint: string
  path: string
  query?: Record<string, QueryValue>
  json?: unknown
  /** A raw upload, sent as `application/octet-stream`. */
  body?: BodyInit
  /** Checks a `code: 1000` answer and picks what the caller gets. */
  schema: z.ZodMiniType<T>
  /** The most bytes of answer read (`readAnswerWithin`); unbounded when absent. */
  maxAnswerBytes?: number
}

export type UdeskSend = <T>(call: UdeskCall<T>) => Promise<T>

interface Answer {
  status: number
  headers: Headers
  text: string
}

/** One signed attempt per call: a retry is the caller's, with a fresh nonce and timestamp. */
export function createUdeskHttp(options: UdeskHttpOptions): UdeskSend {
  const fetchImpl: UdeskFetch = options.fetch ?? ((url, init) => fetch(url, init))
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const now = options.now ?? Date.now
  const nonce = options.nonce ?? (() => crypto.randomUUID())
  const base = options.baseUrl.replace(/\/+$/, '')

  const attempt = async <T>(call: UdeskCall<T>): Promise<T> => {
    const signed = await signUdeskRequest({ ...options.credentials, now: now(), nonce: nonce() })
    const url = new URL(base + call.path)
    url.search = signed.toString()
    for (const [key, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.append(key, String(value))
    }
    const callTimeoutMs = timeoutMs + uploadAllowanceMs(call.body)
    const answer = await exchange(fetchImpl, url.toString(), requestInit(call), callTimeoutMs, call)
    return interpret(call, answer, now())
  }

  return async (call) => {
    for (let resign = 0; ; resign++) {
      try {
        return await attempt(call)
      } catch (err) {
        if (!isSigningRefusal(err)) throw err
        if (resign < MAX_RESIGNS) continue
        throw clockProblem(err)
      }
    }
  }
}

/** Uploads get extra time for their bytes, at a slow 100 KB/s: a 10 MB file gets ~100 s more. */
export const UPLOAD_BYTES_PER_MS = 100

function uploadAllowanceMs(body: BodyInit | undefined): number {
  if (body === undefined) return 0
  let bytes = 0
  if (typeof body === 'string') bytes = body.length
  else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) bytes = body.byteLength
  else if (body instanceof Blob) bytes = body.size
  return Math.ceil(bytes / UPLOAD_BYTES_PER_MS)
}

function requestInit(call: UdeskCall<unknown>): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (call.body !== undefined) {
    headers['content-type'] = 'application/octet-stream'
    return { method: call.method, headers, body: call.body }
  }
  if (call.json === undefined) return { method: call.method, headers }
  headers['content-type'] = 'application/json'
  return { method: call.method, headers, body: JSON.stringify(call.json) }
}

async function exchange(
  fetchImpl: UdeskFetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  call: UdeskCall<unknown>,
): Promise<Answer> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort(new DOMException('Udesk did not answer in time', 'TimeoutError'))
  }, timeoutMs)
  try {
    const response = await fetchImpl(url, { ...init, signal: controller.signal })
    const text =
      call.maxAnswerBytes === undefined
        ? await response.text()
        : await readAnswerWithin(response, call.maxAnswerBytes, {
            endpoint: endpointName(call),
            outcomeUnknown: call.method !== 'GET',
          })
    return { status: response.status, headers: response.headers, text }
  } catch (cause) {
    if (cause instanceof UdeskError) throw cause
    throw transportError(call, timedOut, timeoutMs, cause)
  } finally {
    clearTimeout(timer)
  }
}

/** A write that left us without an answer may have been applied: Udesk got the request. */
function transportError(call: UdeskCall<unknown>, timedOut: boolean, ms: number, cause: unknown) {
  const details: UdeskErrorDetails = {
    kind: timedOut ? 'timeout' : 'network',
    endpoint: endpointName(call),
    retryable: true,
    // fetch cannot tell "refused before sending" from "dropped after sending": assume sent.
    outcomeUnknown: call.method !== 'GET',
  }
  const reason = timedOut ? `did not answer within ${ms} ms` : `failed: ${describeCause(cause)}`
  return new UdeskError(`Udesk ${details.endpoint} ${reason}`, details, { cause })
}

/** Udesk's `code` decides, except that 429 and 5xx are retryable whatever the body says. */
function interpret<T>(call: UdeskCall<T>, answer: Answer, now: number): T {
  const json = parseJson(answer.text)
  const envelope = EnvelopeSchema.safeParse(json)
  const udesk = envelope.success ? envelope.data : undefined
  const base = {
    endpoint: endpointName(call),
    httpStatus: answer.status,
    udeskCode: udesk?.code,
    udeskMessage: messageText(udesk?.message),
    udeskDetail: messageText(udesk?.exception?.message),
  }
  if (isRetryableStatus(answer.status)) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), now)
    const details = { ...base, kind: 'http_status' as const, retryable: true, retryAfterMs }
    const outcomeUnknown = answer.status !== 429 && call.method !== 'GET'
    return fail(`answered HTTP ${answer.status}${codeSuffix(udesk)}`, {
      ...details,
      outcomeUnknown,
    })
  }
  if (!udesk) {
    const kind = answer.status < 300 ? 'invalid_response' : 'http_status'
    const why = json === undefined ? 'a body that is not JSON' : 'JSON without a Udesk code'
    return fail(`answered HTTP ${answer.status} with ${why}`, {
      ...base,
      kind,
      retryable: kind === 'invalid_response',
      outcomeUnknown: kind === 'invalid_response' && call.method !== 'GET',
    })
  }
  if (udesk.code !== UDESK_SUCCESS) {
    const details = {
      ...base,
      kind: 'udesk_code' as const,
      retryable: false,
      outcomeUnknown: false,
    }
    return fail(`refused with${codeSuffix(udesk)}`, details)
  }
  const parsed = call.schema.safeParse(json)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
  const fields = `field ${issues.slice(0, 3).join('; field ')}`
  return fail(
    `answered code 1000 with a field the bridge needs in an unexpected type (${fields})`,
    {
      ...base,
      kind: 'invalid_response',
      retryable: false,
      outcomeUnknown: call.method !== 'GET',
    },
  )
}

function fail(what: string, details: UdeskErrorDetails): never {
  throw new UdeskError(`Udesk ${details.endpoint} ${what}`, details)
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500
}

function endpointName(call: UdeskCall<unknown>): string {
  return `${call.method} ${call.endpoint}`
}

function codeSuffix(udesk: Envelope | undefined): string {
  if (!udesk) return ''
  const message = messageText(udesk.message)
  const detail = messageText(udesk.exception?.message)
  return ` code ${udesk.code}${message ? `: ${message}` : ''}${detail ? ` (${detail})` : ''}`
}

/** Udesk's `message` is a string on errors (an object on uploads); kept short for logs. */
function messageText(message: unknown): string | undefined {
  if (message === undefined || message === null) return undefined
  const text = typeof message === 'string' ? message : JSON.stringify(message)
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The cause's message without any URL query, which would carry the sign. */
function describeCause(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause)
  return message.replace(/\?\S*/g, '?…') || 'connection error'
}
