import { timingSafeEqual } from 'node:crypto'
import { UdeskFailure, fail } from './errors'
import type { SimInstance } from './state'

/** docs/udesk-api.md: the timestamp may be at most 5 minutes off, either way. */
export const MAX_CLOCK_SKEW_S = 300
/** docs/udesk-api.md: a nonce seen in the last 15 minutes is refused. */
export const NONCE_MEMORY_MS = 15 * 60 * 1000

export const SIGNING_PARAMS = ['email', 'timestamp', 'sign', 'nonce', 'sign_version'] as const

/**
 * sign v2 = lowercase hex SHA-256 of `email&token&timestamp&nonce&v2`. Written here with
 * WebCrypto, apart from src/udesk, so the simulator checks the client instead of echoing it.
 */
export async function udeskSignV2(
  email: string,
  token: string,
  timestamp: string,
  nonce: string,
): Promise<string> {
  const text = `${email}&${token}&${timestamp}&${nonce}&v2`
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

/**
 * Checks the signed query of one API call and remembers its nonce. Timestamps are compared
 * with the host's real clock (`realNow`), not the domain clock that `POST /clock` moves, so a
 * test can jump two hours ahead and still sign requests with its own clock.
 */
export async function authenticate(
  sim: SimInstance,
  query: URLSearchParams,
  realNow: number,
): Promise<UdeskFailure | null> {
  const [email, timestamp, sign, nonce, version] = SIGNING_PARAMS.map((p) => query.get(p) ?? '')
  if (!email || !timestamp || !sign || !nonce || !version) {
    const missing = SIGNING_PARAMS.filter((p) => !query.get(p))
    return authFailure('authParamMissing', `missing: ${missing.join(', ')}`)
  }
  if (version !== 'v2') return authFailure('authSignVersion')
  const expected = await udeskSignV2(sim.options.email, sim.options.token, timestamp, nonce)
  // The email is part of the signed text, so one comparison covers a wrong email too.
  const emailOk = sameSecret(email, sim.options.email)
  if (!(sameSecret(sign.toLowerCase(), expected) && emailOk)) return authFailure('authFailed')
  if (!/^\d{1,12}$/.test(timestamp)) return authFailure('authTimestamp')
  if (Math.abs(realNow / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) {
    return authFailure('authTimestamp')
  }
  forgetOldNonces(sim, realNow)
  if (sim.nonces.has(nonce)) return authFailure('authNonceUsed')
  sim.nonces.set(nonce, realNow)
  return null
}

function authFailure(name: Parameters<typeof fail>[0], exception?: string): UdeskFailure {
  const base = fail(name, exception)
  return new UdeskFailure(base.code, base.message, base.exception, 401)
}

function forgetOldNonces(sim: SimInstance, realNow: number): void {
  for (const [nonce, seenAt] of sim.nonces) {
    if (realNow - seenAt < NONCE_MEMORY_MS) break
    sim.nonces.delete(nonce)
  }
}
