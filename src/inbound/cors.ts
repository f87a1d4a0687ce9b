import { AppError } from '../errors'

export class OriginNotAllowedError extends AppError {
  override readonly name: string = 'OriginNotAllowedError'
  constructor() {
    super(403, 'origin_not_allowed', 'this origin may not post to this form')
  }
}

/**
 * The `Access-Control-Allow-Origin` value for a form's allowed origins: undefined when the
 * request names no origin (curl, servers), `*` or the origin itself when allowed. A browser
 * post from any other origin is refused outright, not only hidden from its script: a plain
 * HTML form post needs no preflight and would otherwise get through.
 */
export function allowedOrigin(origin: string | null, allowed: string[]): string | undefined {
  if (origin === null) return undefined
  if (allowed.includes('*')) return '*'
  const wanted = origin.toLowerCase()
  if (allowed.some((o) => o.replace(/\/$/, '').toLowerCase() === wanted)) return origin
  throw new OriginNotAllowedError()
}

/** Headers for an answer to an allowed origin (preflight or post). */
export function corsHeaders(origin: string, preflightHeaders?: string | null) {
  const headers: Record<string, string> = { 'Access-Control-Allow-Origin': origin }
  if (origin !== '*') headers.Vary = 'Origin'
  if (preflightHeaders !== undefined) {
    headers['Access-Control-Allow-Methods'] = 'POST, OPTIONS'
    headers['Access-Control-Allow-Headers'] = preflightHeaders || 'Content-Type, Idempotency-Key'
    headers['Access-Control-Max-Age'] = '86400'
  }
  return headers
}
