import { matchesAny } from './bearer'
import { fromBase64 } from './encoding'
import type { Verdict } from './verdict'

export type BasicVerdict = Verdict<'missing_credentials' | 'bad_credentials'>

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * HTTP Basic (RFC 7617): `Authorization: Basic base64(user:password)`. The password is one of
 * the source's secrets; the username is checked only when the source fixes one (Alertmanager's
 * `basic_auth.username`, Grafana's webhook username). Both compared in constant time.
 */
export async function verifyBasicAuth(
  authorization: string | null,
  expected: { username?: string; passwords: string[] },
): Promise<BasicVerdict> {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+=*)\s*$/i.exec(authorization ?? '')
  const bytes = match?.[1] ? fromBase64(match[1]) : undefined
  const text = bytes && decodeUtf8(bytes)
  const colon = text?.indexOf(':') ?? -1
  if (!text || colon < 0) return { ok: false, reason: 'missing_credentials' }
  const [user, password] = [text.slice(0, colon), text.slice(colon + 1)]
  const passwordOk = await matchesAny(password, expected.passwords)
  const userOk = expected.username === undefined || (await matchesAny(user, [expected.username]))
  return passwordOk && userOk ? { ok: true } : { ok: false, reason: 'bad_credentials' }
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes)
  } catch {
    return undefined
  }
}
