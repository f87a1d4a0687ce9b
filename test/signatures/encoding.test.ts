import { describe, it } from 'vitest'
import { fromBase64, toBase64 } from '../../src/signatures/encoding'

/** Every byte value, then enough more to pass the fallback's 32 KiB slices. */
const bytes = Uint8Array.from({ length: 70_000 }, (_, n) => (n * 7) % 256)

/** Base64 as `btoa` gives it, one character at a time (slow, obviously right). */
function plainBase64(view: Uint8Array): string {
  let binary = ''
  for (const byte of view) binary += String.fromCharCode(byte)
  return btoa(binary)
}

describe('toBase64', () => {
  it("gives btoa's text for any bytes, with the runtime's encoder", ({ expect }) => {
    expect(toBase64(bytes)).toBe(plainBase64(bytes))
    expect(toBase64(bytes.buffer)).toBe(plainBase64(bytes))
    expect(fromBase64(toBase64(bytes))).toEqual(bytes)
  })

  it('gives the same text without it, past the 64K arguments a spread allows', ({ expect }) => {
    const own = Object.getOwnPropertyDescriptor(Uint8Array.prototype, 'toBase64')
    Reflect.deleteProperty(Uint8Array.prototype, 'toBase64')
    try {
      expect(toBase64(bytes)).toBe(plainBase64(bytes))
    } finally {
      if (own) Object.defineProperty(Uint8Array.prototype, 'toBase64', own)
    }
  })
})
