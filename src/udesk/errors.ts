import { AppError } from '../errors'

/** What went wrong, coarsely: decides retry and "may have been applied". */
export type UdeskFailureKind =
  /** Udesk answered JSON with a `code` other than 1000 (a refusal; permanent). */
  | 'udesk_code'
  /** An HTTP status that is an error on its own (429, 5xx, 4xx without a Udesk code). */
  | 'http_status'
  /** The body is not JSON, or not the shape the reference documents. */
  | 'invalid_response'
  /** No complete answer within the client's timeout. */
  | 'timeout'
  /** The connection failed or was dropped. */
  | 'network'
  /** Fresh signatures kept being refused as stale or reused: a clock problem. */
  | 'clock'

export interface UdeskErrorDetails {
  kind: UdeskFailureKind
  /** `METHOD /path/template`, e.g. `PUT /tickets/:id`: never the signed URL. */
  endpoint: string
  udeskCode?: number
  /** Udesk's own `message` for a refusal (the reference's table gives them verbatim). */
  udeskMessage?: string
  /** Udesk's `exception.message`, the detail behind some refusals ("Unknown error"). */
  udeskDetail?: string
  httpStatus?: number
  /** Network, timeout, HTTP 429 and 5xx: the same request may succeed later. */
  retryable: boolean
  /** The request was sent and may have been applied (a write that timed out, or 5xx). */
  outcomeUnknown: boolean
  /** From `Retry-After` (seconds or HTTP date), when Udesk sent one. */
  retryAfterMs?: number
}

/** A failed Udesk call. The message names the endpoint and Udesk's answer, never the sign. */
export class UdeskError extends AppError {
  override readonly name: string = 'UdeskError'
  readonly kind: UdeskFailureKind
  readonly endpoint: string
  readonly udeskCode?: number
  readonly udeskMessage?: string
  readonly udeskDetail?: string
  readonly httpStatus?: number
  readonly retryable: boolean
  readonly outcomeUnknown: boolean
  readonly retryAfterMs?: number

  constructor(message: string, details: UdeskErrorDetails, options?: ErrorOptions) {
    super(502, 'udesk_error', message, options)
    this.kind = details.kind
    this.endpoint = details.endpoint
    this.udeskCode = details.udeskCode
    this.udeskMessage = details.udeskMessage
    this.udeskDetail = details.udeskDetail
    this.httpStatus = details.httpStatus
    this.retryable = details.retryable
    this.outcomeUnknown = details.outcomeUnknown
    this.retryAfterMs = details.retryAfterMs
  }
}

/** `Retry-After` is either delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // Every HTTP-date form starts with a day name; Date.parse alone would take "-5" as a year.
  const date = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : NaN
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
