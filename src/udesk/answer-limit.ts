import { UdeskError } from './errors'

/**
 * An answer's text, read no further than `maxBytes`: refused by its declared `content-length`
 * before any of it is read, else counted while reading and cancelled once past the bound. Too
 * long an answer fails permanently (`invalid_response`, naming `endpoint`, e.g.
 * `GET /tickets/export`), so it never reaches `JSON.parse`. `outcomeUnknown`: the call was a
 * write that Udesk may have applied.
 */
export async function readAnswerWithin(
  response: Response,
  maxBytes: number,
  call: { endpoint: string; outcomeUnknown: boolean },
): Promise<string> {
  const tooLong = () =>
    new UdeskError(
      `Udesk ${call.endpoint} answered more than ${maxBytes} bytes, more than the bridge reads`,
      { kind: 'invalid_response', httpStatus: response.status, retryable: false, ...call },
    )
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await response.body?.cancel().catch(() => {})
    throw tooLong()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    bytes += value.byteLength
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {})
      throw tooLong()
    }
    text += decoder.decode(value, { stream: true })
  }
}
