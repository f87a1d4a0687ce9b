/** Udesk Open API request signing, `sign_version=v2` (docs/udesk-api.md, "Signing"). */
export const SIGN_VERSION = 'v2'

/** The query parameters that authenticate a call; never logged, they carry the sign. */
export const SIGNING_PARAMS = ['email', 'timestamp', 'sign', 'nonce', 'sign_version'] as const

export interface UdeskCredentials {
  /** The administrator's login email. */
  email: string
  /** The API token from the admin console: a secret that never leaves the worker. */
  token: string
}

/** Lowercase hex SHA-256 of `email&token&timestamp&nonce&v2`. */
export async function udeskSign(
  email: string,
  token: string,
  timestamp: number,
  nonce: string,
): Promise<string> {
  const text = [email, token, String(timestamp), nonce, SIGN_VERSION].join('&')
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('')
}

export interface SignInput extends UdeskCredentials {
  /** Current time in milliseconds since the epoch; Udesk wants whole seconds. */
  now: number
  /** Unique per attempt (`crypto.randomUUID()`): Udesk refuses a nonce seen in 15 minutes. */
  nonce: string
}

/** The five signing query parameters for one attempt. */
export async function signUdeskRequest(input: SignInput): Promise<URLSearchParams> {
  const timestamp = Math.floor(input.now / 1000)
  const sign = await udeskSign(input.email, input.token, timestamp, input.nonce)
  return new URLSearchParams({
    email: input.email,
    timestamp: String(timestamp),
    sign,
    nonce: input.nonce,
    sign_version: SIGN_VERSION,
  })
}
