import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type * as z from './zod'

type ErrorStatus = 400 | 401 | 403 | 404 | 413 | 415 | 429 | 502 | 503

/**
 * An error with the HTTP answer the README gives it. Messages never hold secrets or bodies.
 * Each class spells out its `name` (logs and dead-letter reasons show it): the deploy bundle
 * is minified without kept function names (wrangler.toml `keep_names = false`), so a class's
 * own name would read as one letter there.
 */
export class AppError extends Error {
  override readonly name: string = 'AppError'
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}

export class UnknownSourceError extends AppError {
  override readonly name: string = 'UnknownSourceError'
  constructor() {
    super(404, 'unknown_source', 'no such source')
  }
}

export class BadSignatureError extends AppError {
  override readonly name: string = 'BadSignatureError'
  constructor(readonly reason: string) {
    super(401, 'unauthorized', 'request is not authenticated')
  }
}

export class CaptchaFailedError extends AppError {
  override readonly name: string = 'CaptchaFailedError'
  constructor(readonly reason: string) {
    super(403, 'captcha_failed', 'captcha verification failed')
  }
}

export class PayloadTooLargeError extends AppError {
  override readonly name: string = 'PayloadTooLargeError'
  constructor(message = 'request body is too large') {
    super(413, 'payload_too_large', message)
  }
}

export class UnsupportedMediaTypeError extends AppError {
  override readonly name: string = 'UnsupportedMediaTypeError'
  constructor(message = 'content type not accepted by this source') {
    super(415, 'unsupported_media_type', message)
  }
}

/** Issues are zod's, reduced to path + message + code: never the offending value. */
export class InvalidPayloadError extends AppError {
  override readonly name: string = 'InvalidPayloadError'
  readonly issues: { path: (string | number)[]; message: string; code: string }[]
  constructor(issues: z.core.$ZodIssue[] | string) {
    super(400, 'invalid_payload', 'payload does not match the schema')
    this.issues =
      typeof issues === 'string'
        ? [{ path: [], message: issues, code: 'custom' }]
        : issues.map((i) => ({
            path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
            message: i.message,
            code: i.code,
          }))
  }
}

/** Too many posts from one client to a form: 429 with `Retry-After` in whole seconds. */
export class RateLimitedError extends AppError {
  override readonly name: string = 'RateLimitedError'
  constructor(readonly retryAfterS: number) {
    super(429, 'rate_limited', 'too many posts from this client, retry later')
  }
}

/** Seconds a client should wait before retrying this error, when it says. */
export function retryAfterSeconds(err: AppError): number | undefined {
  if (err instanceof RateLimitedError) return err.retryAfterS
  return err.status === 503 ? 5 : undefined
}

export class QueueUnavailableError extends AppError {
  override readonly name: string = 'QueueUnavailableError'
  constructor(options?: ErrorOptions) {
    super(503, 'queue_unavailable', 'could not accept the event, retry later', options)
  }
}

/** The one error handler: every error answer has the shape `{ error, message, ... }`. */
export function onError(err: Error, c: Context): Response {
  if (err instanceof InvalidPayloadError) {
    return c.json({ error: err.code, message: err.message, issues: err.issues }, err.status)
  }
  if (err instanceof AppError) {
    const retryAfter = retryAfterSeconds(err)
    if (retryAfter !== undefined) c.header('Retry-After', String(retryAfter))
    return c.json({ error: err.code, message: err.message }, err.status)
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode
    const code = HTTP_CODES[status] ?? 'http_error'
    return c.json({ error: code, message: err.message || code }, status)
  }
  console.error(JSON.stringify({ msg: 'unhandled error', error: err.name, detail: err.message }))
  return c.json({ error: 'internal_error' }, 500)
}

const HTTP_CODES: Partial<Record<number, string>> = {
  400: 'invalid_payload',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}
