import type { Context } from 'hono'
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie'
import { verifyBearerToken } from '../signatures/bearer'

/** The console's session cookie; its value is the expiry, signed (HMAC-SHA256). */
export const SESSION_COOKIE = 'udesk_bridge_console'
/** A session lasts 8 hours (a working day), then the token is asked for again. */
export const SESSION_TTL_S = 8 * 3600
const COOKIE_PATH = '/admin'

/**
 * The cookie's HMAC key: HKDF-SHA256 of ADMIN_TOKEN, so the token itself never signs anything
 * and rotating it ends every session.
 */
async function sessionKey(adminToken: string): Promise<ArrayBuffer> {
  const ikm = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(adminToken),
    'HKDF',
    false,
    ['deriveBits'],
  )
  const params = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: new TextEncoder().encode('udesk-bridge console'),
    info: new TextEncoder().encode('session cookie v1'),
  }
  return crypto.subtle.deriveBits(params, ikm, 256)
}

/** The typed token against ADMIN_TOKEN, in constant time (digests of both, compared). */
export async function isAdminToken(given: string, adminToken: string): Promise<boolean> {
  const verdict = await verifyBearerToken(`Bearer ${given.trim()}`, [adminToken])
  return verdict.ok
}

/** `HttpOnly; Secure; SameSite=Strict`, scoped to /admin, expiring with its signed value. */
export async function startSession(c: Context, adminToken: string, now = Date.now()) {
  const expires = now + SESSION_TTL_S * 1000
  await setSignedCookie(c, SESSION_COOKIE, String(expires), await sessionKey(adminToken), {
    path: COOKIE_PATH,
    httpOnly: true,
    secure: true,
    sameSite: 'Strict',
    maxAge: SESSION_TTL_S,
  })
}

/** Signed with the current token's key and not expired (the browser's Max-Age is not trusted). */
export async function hasSession(c: Context, adminToken: string, now = Date.now()) {
  const value = await getSignedCookie(c, await sessionKey(adminToken), SESSION_COOKIE)
  if (!value || !/^\d+$/.test(value)) return false
  return Number(value) > now
}

export function endSession(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: COOKIE_PATH, secure: true, httpOnly: true })
}
