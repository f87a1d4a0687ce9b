import type * as z from '../zod'
import { InvalidPayloadError } from '../errors'

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** UTF-8 text of the body; 400 when it is not UTF-8. */
export function bodyText(body: Uint8Array): string {
  try {
    return decoder.decode(body)
  } catch {
    throw new InvalidPayloadError('body is not valid UTF-8')
  }
}

/**
 * JSON of the body. The parser's own message is not passed on: it quotes the body, and
 * answers never echo what was sent.
 */
export function parseJsonBody(body: Uint8Array): unknown {
  try {
    return JSON.parse(bodyText(body))
  } catch (err) {
    if (err instanceof InvalidPayloadError) throw err
    throw new InvalidPayloadError('body is not valid JSON')
  }
}

/** The payload as its schema reads it; 400 with zod's issues (paths and messages) otherwise. */
export function parsePayload<Schema extends z.ZodMiniType>(
  schema: Schema,
  data: unknown,
): z.infer<Schema> {
  const result = schema.safeParse(data)
  if (!result.success) throw new InvalidPayloadError(result.error.issues)
  return result.data
}
