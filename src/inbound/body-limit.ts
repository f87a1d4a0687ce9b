import type { IntakeConfig, SourceConfig } from '../config'
import { PayloadTooLargeError } from '../errors'
import { MULTIPART } from './media-type'

/**
 * The source's own limit, else 20 MiB for multipart forms, 8 MiB for alerts (a storm is
 * summarised, never refused) and 1 MiB for everything else.
 * `formType` is a form's media type; signed kinds have one limit whatever they claim to send.
 */
export function bodyLimitFor(
  config: IntakeConfig,
  source: SourceConfig,
  formType?: string,
): number {
  if (source.maxBodyBytes) return source.maxBodyBytes
  if (source.kind === 'alertmanager' || source.kind === 'grafana')
    return config.MAX_ALERT_BODY_BYTES
  const multipart = source.kind === 'form' && formType === MULTIPART
  return multipart ? config.MAX_MULTIPART_BYTES : config.MAX_BODY_BYTES
}

/**
 * Reads the body, refusing it with 413 as soon as it passes `limit`: first by the declared
 * Content-Length, then by counting while reading, so an oversize or lying sender is cut off
 * without the whole body ever being buffered.
 *
 * A body whose length is declared (and not chunked) is read in one call: HTTP frames it by
 * that length (RFC 9112 section 6.3; RFC 9113 section 8.1.1 makes a DATA total that differs a
 * malformed request), so it cannot grow past the limit checked. Its length is checked again
 * all the same.
 */
export async function readBodyWithin(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit)
  if (!request.body) return new Uint8Array()
  if (declared !== null && /^\d+$/.test(declared) && !request.headers.has('transfer-encoding')) {
    const body = new Uint8Array(await request.arrayBuffer())
    if (body.byteLength > limit) throw tooLarge(limit)
    return body
  }
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  const body = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    body.set(chunk, offset)
    offset += chunk.byteLength
  }
  return body
}

function tooLarge(limit: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`request body is larger than ${limit} bytes`)
}
