import { sha256, utf8 } from './encoding'
import type { Verdict } from './verdict'

export type BearerVerdict = Verdict<'missing_token' | 'bad_token'>

/** `Authorization: Bearer <token>` against the configured tokens (`verifySchemeToken`). */
export function verifyBearerToken(
  authorization: string | null,
  tokens: string[],
): Promise<BearerVerdict> {
  return verifySchemeToken(authorization, 'Bearer', tokens)
}

/**
 * `Authorization: <scheme> <token>` (RFC 9110 section 11.4; the scheme is case-insensitive)
 * against the configured tokens. Both sides are hashed first so `timingSafeEqual` compares
 * equal-length digests: neither the token nor its length leaks through timing, and every
 * configured token is compared (no early exit on a match).
 */
export async function verifySchemeToken(
  authorization: string | null,
  scheme: string,
  tokens: string[],
): Promise<BearerVerdict> {
  const header = authorization ?? ''
  const space = header.indexOf(' ')
  if (space < 0 || header.slice(0, space).toLowerCase() !== scheme.toLowerCase()) {
    return { ok: false, reason: 'missing_token' }
  }
  const token = header.slice(space).trim()
  if (!token || /\s/.test(token)) return { ok: false, reason: 'missing_token' }
  return (await matchesAny(token, tokens)) ? { ok: true } : { ok: false, reason: 'bad_token' }
}

/**
 * Constant time over every configured secret: equal-length SHA-256 digests compared. A
 * configured secret's digest is computed once per isolate (`secretDigest`), the sent one on
 * every call.
 */
export async function matchesAny(given: string, secrets: string[]): Promise<boolean> {
  const digest = await sha256(utf8(given))
  let ok = false
  for (const secret of secrets) {
    const expected = await secretDigest(secret)
    if (crypto.subtle.timingSafeEqual(digest, expected)) ok = true
  }
  return ok
}

/** SHA-256 of configured secrets (and usernames) by value: they change only on a deploy. */
const secretDigests = new Map<string, ArrayBuffer>()
/** Past this many the cache starts over rather than grow (as the HMAC key cache does). */
const MAX_CACHED_DIGESTS = 64

async function secretDigest(secret: string): Promise<ArrayBuffer> {
  const cached = secretDigests.get(secret)
  if (cached) return cached
  const digest = await sha256(utf8(secret))
  if (secretDigests.size >= MAX_CACHED_DIGESTS) secretDigests.clear()
  secretDigests.set(secret, digest)
  return digest
}
