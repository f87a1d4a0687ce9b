/** A phone number has at most this many characters, extension included. */
export const MAX_PHONE_CHARS = 64

/**
 * What a phone number looks like as people type it: an optional leading `+`, digits, spaces and
 * `- ( ) .`, then an optional extension (`ext. 12`, `x12`, `#12`). At least 3 digits, at most
 * 64 characters (Udesk's cellphone is a plain field it shows unescaped, so nothing else may
 * reach it).
 */
const PHONE = /^\+?[\d ().-]*\d[\d ().-]*(?:\s*(?:ext\.?|x|#)\s*\d{1,8})?$/i

/** Whether `text` (trimmed) looks like a phone number, per `PHONE`. */
export function isPhoneNumber(text: string): boolean {
  return text.length <= MAX_PHONE_CHARS && PHONE.test(text) && (text.match(/\d/g)?.length ?? 0) >= 3
}
