import { UdeskError } from './errors'

/**
 * Refusals of the signature's freshness, not of the request: a stale timestamp (2004) or a
 * nonce Udesk has seen (2006). Udesk applied nothing, so the call is signed anew and sent again
 * at once, at most this many times.
 */
export const MAX_RESIGNS = 2
const SIGNING_REFUSALS = new Set([2004, 2006])

export function isSigningRefusal(err: unknown): err is UdeskError {
  return err instanceof UdeskError && SIGNING_REFUSALS.has(err.udeskCode ?? 0)
}

/** Fresh signatures kept being refused: our clock (or Udesk's) is off. Retryable later. */
export function clockProblem(err: UdeskError): UdeskError {
  const what = `refused ${MAX_RESIGNS + 1} fresh signatures (code ${err.udeskCode}: ${err.udeskMessage ?? ''}); check the worker's clock against Udesk's`
  console.error(JSON.stringify({ msg: 'udesk clock problem', endpoint: err.endpoint, error: what }))
  return new UdeskError(`Udesk ${err.endpoint} ${what}`, {
    kind: 'clock',
    endpoint: err.endpoint,
    udeskCode: err.udeskCode,
    udeskMessage: err.udeskMessage,
    httpStatus: err.httpStatus,
    retryable: true,
    outcomeUnknown: false,
  })
}
