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
  if (hex.length % 2 !== 0) return undefined
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) {
    const high = hexDigit(hex.charCodeAt(i * 2))
    const low = hexDigit(hex.charCodeAt(i * 2 + 1))
    if (high < 0 || low < 0) return undefined
    out[i] = high * 16 + low
  }
  return out
}

/** The value of one hex digit's char code, -1 when it is none. */
function hexDigit(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1
}

/** Two lowercase hex digits per byte value: a digest is hex in one lookup per byte. */
const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)
  let hex = ''
  for (let i = 0; i < view.length; i++) hex += HEX_BYTES[view[i] ?? 0]
  return hex
}

/** Standard base64 to bytes; undefined when it does not decode. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    const binary = atob(text)
    const out = new Uint8Array(binary.length)
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
    return out
  } catch {
    return undefined
  }
}

/**
 * Bytes to standard base64: the runtime's own `Uint8Array.prototype.toBase64` (TC39's base64
 * proposal, in workerd; several times faster on a file) where it has one, else `btoa` over
 * slices (a spread of more than ~64K arguments would throw). The same text either way.
 */
export function toBase64(bytes: ArrayBuffer | Uint8Array): string {
  const view = new Uint8Array(bytes)
  const native = (view as { toBase64?: () => string }).toBase64
  if (native) return native.call(view)
  let binary = ''
  for (let at = 0; at < view.length; at += 0x8000) {
    binary += String.fromCharCode(...view.subarray(at, at + 0x8000))
  }
  return btoa(binary)
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
