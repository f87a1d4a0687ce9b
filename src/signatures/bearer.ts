import { sha256, utf8 } from './encoding'
import type { Verdict } from './verdict'

export type BearerVerdict = Verdict<'missing_token' | 'bad_token'>

/**
 * `Authorization: Bearer <token>` against the configured tokens. Both sides are hashed first so
 * `timingSafeEqual` compares equal-length digests: neither the token nor its length leaks
 * through timing, and every configured token is compared (no early exit on a match).
 */
export async function verifyBearerToken(
  authorization: string | null,
  tokens: string[],
): Promise<BearerVerdict> {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? '')
  if (!match?.[1]) return { ok: false, reason: 'missing_token' }
  const given = await sha256(utf8(match[1]))
  let ok = false
  for (const token of tokens) {
    const expected = await sha256(utf8(token))
    if (crypto.subtle.timingSafeEqual(given, expected)) ok = true
  }
  return ok ? { ok: true } : { ok: false, reason: 'bad_token' }
}
