const encoder = new TextEncoder()

export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(text) as Uint8Array<ArrayBuffer>
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/** Lowercase or uppercase hex to bytes; undefined when it is not hex of whole bytes. */
export function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(hex)) return undefined
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Standard base64 to bytes; undefined when it does not decode. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text)
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0))
  } catch {
    return undefined
  }
}

export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
}

/** Imported HMAC keys by secret: an isolate serves many requests with the same few secrets. */
const hmacKeys = new Map<string, CryptoKey>()
/** Secrets rotate rarely; past this many the cache starts over rather than grow. */
const MAX_CACHED_KEYS = 64

/**
 * An HMAC-SHA256 key for `secret` (raw bytes), imported once per isolate and then reused, so a
 * signed request costs one HMAC rather than a key import as well. The resolved key is kept,
 * never a pending promise, so no request waits on work another request started.
 */
export async function importHmacKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const id = String.fromCharCode(...secret)
  const cached = hmacKeys.get(id)
  if (cached) return cached
  const key = await crypto.subtle.importKey(
    'raw',
    secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  )
  if (hmacKeys.size >= MAX_CACHED_KEYS) hmacKeys.clear()
  hmacKeys.set(id, key)
  return key
}

export async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer> {
  return crypto.subtle.digest('SHA-256', bytes)
}

type Bytes = ArrayBuffer | ArrayBufferView
/**
 * workerd's constant-time comparison of two equal-length byte strings
 * (`crypto.subtle.timingSafeEqual`, a Workers extension of WebCrypto); false for unequal lengths.
 */
export function timingSafeEqual(a: Bytes, b: Bytes): boolean {
  if (a.byteLength !== b.byteLength) return false
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual(a: Bytes, b: Bytes): boolean }
  return subtle.timingSafeEqual(a, b)
}
