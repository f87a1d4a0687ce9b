import { describe, it } from 'vitest'
import { createUdeskClient, UdeskError, type UdeskFetch } from '../../src/udesk/client'
import { textToHtml } from '../../src/content/html'

// Answers the simulator never gives (garbled bodies, proxies' HTML pages, an HTTP-date
// Retry-After) come from a stand-in for the network edge: the client's injected fetch.

const BASE_URL = 'https://acme.udesk.test/open_api_v1'
const CREDENTIALS = { email: 'admin@example.com', token: 'dev-udesk-token' }

interface Sent {
  url: URL
  init: RequestInit
}

function clientAnswering(answer: () => Response | Promise<Response>, sent: Sent[] = []) {
  const fetch: UdeskFetch = async (url, init) => {
    sent.push({ url: new URL(url), init })
    return answer()
  }
  return createUdeskClient({ baseUrl: `${BASE_URL}/`, credentials: CREDENTIALS, fetch })
}

async function failure(promise: Promise<unknown>): Promise<UdeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!(error instanceof UdeskError)) throw new Error(`expected a UdeskError, got ${error}`)
  return error
}

describe('Udesk client requests', () => {
  it('signs each call with its own nonce and keeps the token out of the URL', async ({
    expect,
  }) => {
    const sent: Sent[] = []
    const client = clientAnswering(() => Response.json({ code: 1000, ticket_id: 7 }), sent)

    await client.createTicket({ subject: 'a', content: textToHtml('b') })
    await client.createTicket({ subject: 'a', content: textToHtml('b') })

    const [first, second] = sent.map((s) => s.url)
    expect(first?.origin + (first?.pathname ?? '')).toBe(`${BASE_URL}/tickets`)
    expect([...(first?.searchParams.keys() ?? [])].sort()).toEqual(
      ['email', 'nonce', 'sign', 'sign_version', 'timestamp'].sort(),
    )
    expect(first?.searchParams.get('sign')).toMatch(/^[0-9a-f]{64}$/)
    expect(first?.searchParams.get('nonce')).not.toBe(second?.searchParams.get('nonce'))
    expect(first?.toString()).not.toContain('dev-udesk-token')
  })

  it('URL-encodes a ticket number: #848 travels as %23848', async ({ expect }) => {
    const sent: Sent[] = []
    const client = clientAnswering(() => Response.json({ code: 1000, message: 'success' }), sent)

    await client.deleteTicket({ num: '#848' })

    expect(sent[0]?.url.search).toContain('num=%23848')
    expect(sent[0]?.init.method).toBe('DELETE')
  })
})

describe('Udesk client answers outside the reference', () => {
  it('treats a 200 that is not JSON on a write as retryable and possibly applied', async ({
    expect,
  }) => {
    const client = clientAnswering(() => new Response('<html>gateway</html>', { status: 200 }))

    const error = await failure(client.createTicket({ subject: 'a', content: textToHtml('b') }))

    expect(error).toMatchObject({
      kind: 'invalid_response',
      endpoint: 'POST /tickets',
      httpStatus: 200,
      retryable: true,
      outcomeUnknown: true,
    })
    expect(error.message).toBe('Udesk POST /tickets answered HTTP 200 with a body that is not JSON')
  })

  it('treats a proxy error page as a retryable HTTP failure of a read', async ({ expect }) => {
    const client = clientAnswering(() => new Response('Bad Gateway', { status: 502 }))

    const error = await failure(client.getTicket({ id: 1 }))

    expect(error).toMatchObject({
      kind: 'http_status',
      endpoint: 'GET /tickets/detail',
      httpStatus: 502,
      retryable: true,
      outcomeUnknown: false,
    })
  })

  it('treats a 404 without a Udesk code as permanent', async ({ expect }) => {
    const client = clientAnswering(() => Response.json({ error: 'no route' }, { status: 404 }))

    const error = await failure(client.listTemplates())

    expect(error).toMatchObject({ kind: 'http_status', httpStatus: 404, retryable: false })
  })

  it('reads an HTTP-date Retry-After against the signing clock', async ({ expect }) => {
    const now = Date.parse('2026-05-04T10:00:00Z')
    const client = createUdeskClient({
      baseUrl: BASE_URL,
      credentials: CREDENTIALS,
      now: () => now,
      fetch: async () =>
        new Response('slow down', {
          status: 429,
          headers: { 'retry-after': 'Mon, 04 May 2026 10:00:20 GMT' },
        }),
    })

    const error = await failure(client.createTicket({ subject: 'a', content: textToHtml('b') }))

    expect(error).toMatchObject({
      httpStatus: 429,
      retryable: true,
      outcomeUnknown: false,
      retryAfterMs: 20_000,
    })
  })

  it('reports a code 1000 answer in an undocumented shape without losing the write', async ({
    expect,
  }) => {
    const client = clientAnswering(() => Response.json({ code: 1000, message: 'ok' }))

    const error = await failure(client.createTicket({ subject: 'a', content: textToHtml('b') }))

    expect(error).toMatchObject({
      kind: 'invalid_response',
      udeskCode: 1000,
      retryable: false,
      outcomeUnknown: true,
    })
    expect(error.message).toContain('ticket_id')
  })

  it('keeps the signed query out of a network error message', async ({ expect }) => {
    const sent: Sent[] = []
    const client = createUdeskClient({
      baseUrl: BASE_URL,
      credentials: CREDENTIALS,
      fetch: async (url, init) => {
        sent.push({ url: new URL(url), init })
        throw new TypeError(`connect failed for ${url}`)
      },
    })

    const error = await failure(client.listTemplates())

    const sign = sent[0]?.url.searchParams.get('sign') ?? 'missing'
    expect(error).toMatchObject({ kind: 'network', retryable: true, outcomeUnknown: false })
    expect(error.message).not.toContain(sign)
    expect(error.message).toContain(`${BASE_URL}/tickets/ticket_templates?…`)
  })

  it('passes through a UdeskError thrown by a wrapping fetch', async ({ expect }) => {
    const own = new UdeskError('rate limiter closed', {
      kind: 'network',
      endpoint: 'limiter',
      retryable: true,
      outcomeUnknown: false,
    })
    const client = createUdeskClient({
      baseUrl: BASE_URL,
      credentials: CREDENTIALS,
      fetch: async () => {
        throw own
      },
    })

    expect(await failure(client.getSurvey())).toBe(own)
  })
})
