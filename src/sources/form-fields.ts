import * as z from '../zod'
import { MAX_PHONE_CHARS } from '../content/phone'
import { clipChars, MAX_SUBJECT_CHARS } from './adapter'

/** Udesk and mail: an address has at most 254 characters (RFC 5321 section 4.5.3.1.3 path limit). */
export const MAX_EMAIL_CHARS = 254
/** A field other than the message is cut here, with a note saying so (README, "Limits"). */
export const MAX_FIELD_CHARS = 10_000
/** A name is cut here: Udesk's nick_name, like a subject, holds 255 characters. */
export const MAX_NAME_CHARS = 255

/** `text` with at most `max` characters, and a visible note when it was cut. */
export function cutField(text: string, max = MAX_FIELD_CHARS): string {
  const chars = [...text]
  if (chars.length <= max) return text
  return `${chars.slice(0, max).join('')}… [cut at ${max.toLocaleString('en')} characters]`
}

const Text = z.pipe(
  z.string(),
  z.transform((value) => cutField(value)),
)
const FieldValue = z.union([Text, z.array(Text)])

/**
 * The names other form services use for the fields the bridge knows (Formspree, Basin, Netlify
 * Forms): `_replyto` is the sender's email, `_subject` the subject; `email`, `name`, `phone`,
 * `subject` and `message` are matched in any letter case (`Email`, `MESSAGE`).
 */
// A Map, not an object: field names are the sender's (`constructor`, `__proto__`).
const ALIASES = new Map([
  ['_replyto', 'email'],
  ['_subject', 'subject'],
])
const KNOWN = new Set(['email', 'name', 'phone', 'subject', 'message'])

/**
 * Renames the fields of other services' forms to the bridge's own names (`_replyto` -> `email`,
 * `Message` -> `message`), so one schema reads them all.
 */
export function canonicalFields(fields: unknown): unknown {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return fields
  const entries = Object.entries(fields)
  const named = new Map<string, unknown>()
  const rest: [string, unknown][] = []
  const ordered = [...entries].sort(([a], [b]) => rank(a) - rank(b))
  for (const [name, value] of ordered) {
    const canonical = ALIASES.get(name) ?? (KNOWN.has(name.toLowerCase()) ? name.toLowerCase() : '')
    if (canonical && !named.has(canonical)) named.set(canonical, value)
    else rest.push([name, value])
  }
  return Object.fromEntries([...rest, ...named])
}

/**
 * The bridge's own names first, then the aliases, then other spellings. A loser keeps its name:
 * a `_replyto` beside `email` stays a control field, an `Email` beside `email` a listed field.
 */
function rank(name: string): number {
  if (KNOWN.has(name)) return 0
  return ALIASES.has(name) ? 1 : 2
}

/**
 * A contact form's fields, from urlencoded, multipart or JSON. `email` is required (trimmed,
 * at most 254 characters, shaped like an address); every other field is listed in the ticket
 * or mapped to a custom field. Over-long text is cut with a note rather than refused; the
 * subject is cut to 255 characters ending in `…`.
 */
export const FormFieldsSchema = z.pipe(
  z.transform(canonicalFields),
  z.catchall(
    z.object({
      email: z.pipe(
        z
          .string()
          .check(
            z.trim(),
            z.maxLength(
              MAX_EMAIL_CHARS,
              `an email address has at most ${MAX_EMAIL_CHARS} characters`,
            ),
          ),
        z.email(),
      ),
      name: z.optional(
        z.pipe(
          z.string().check(z.trim()),
          z.transform((name) => clipChars(name, MAX_NAME_CHARS)),
        ),
      ),
      // Never a 400: a phone that is not one stays in the content only (see formCustomer).
      phone: z.optional(
        z.pipe(
          z.string().check(z.trim()),
          z.transform((phone) => clipChars(phone, MAX_PHONE_CHARS)),
        ),
      ),
      subject: z.optional(
        z.pipe(
          z.string().check(z.trim()),
          z.transform((subject) => clipChars(subject, MAX_SUBJECT_CHARS)),
        ),
      ),
      message: z.optional(z.string()),
    }),
    FieldValue,
  ),
)
export type FormFields = z.infer<typeof FormFieldsSchema>
