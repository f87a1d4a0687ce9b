import { env, exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { BRIDGE_URL, formPost } from '../helpers/signed-request'
import { jsonPost, unique, visitor } from './form-requests'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('forms with Turnstile', () => {
  const token = { 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' }

  it('accepts a form whose token siteverify confirms', async ({ expect }) => {
    const response = await exports.default.fetch(
      jsonPost(
        'contact-turnstile',
        { email: visitor(), ...token },
        { 'cf-connecting-ip': '203.0.113.7' },
      ),
    )

    expect(response.status).toBe(202)
  })

  it('refuses with 403 when siteverify fails, the token is spent or missing', async ({
    expect,
  }) => {
    const queue = watchQueue()

    const failed = await exports.default.fetch(
      jsonPost('contact-turnstile-fails', { email: visitor(), ...token }),
    )
    const spent = await exports.default.fetch(
      jsonPost('contact-turnstile-spent', { email: visitor(), ...token }),
    )
    const missing = await exports.default.fetch(jsonPost('contact-turnstile', { email: visitor() }))

    for (const response of [failed, spent, missing]) {
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({ error: 'captcha_failed' })
    }
    expect(queue.messages()).toEqual([])
  })
})

describe('a re-sent form whose Turnstile token is spent', () => {
  const spentToken = { 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' }
  const source = 'contact-turnstile-spent'

  /** The first post was accepted while its token was fresh: its replay record is in KV. */
  async function acceptedBefore(deliveryId: string) {
    const record = { acceptedAt: Date.now(), eventIds: [`${source}:${deliveryId}:0`] }
    await env.BRIDGE_KV.put(`replay:${source}:${deliveryId}`, JSON.stringify(record))
  }

  it('answers the duplicate (200, or 303 for a browser) instead of 403', async ({ expect }) => {
    const queue = watchQueue()
    const fields = { email: visitor(), _submission_id: `sub-${unique()}`, ...spentToken }
    const key = `idem-${unique()}`
    await acceptedBefore(fields._submission_id)
    await acceptedBefore(key)

    const byField = await exports.default.fetch(jsonPost(source, fields))
    const byHeader = await exports.default.fetch(
      jsonPost(source, { email: visitor(), ...spentToken }, { 'idempotency-key': key }),
    )
    const byBrowser = await exports.default.fetch(formPost(source, fields))

    expect(byField.status).toBe(200)
    expect(await byField.json()).toEqual({ status: 'duplicate' })
    expect(await byHeader.json()).toEqual({ status: 'duplicate' })
    expect(byBrowser.status).toBe(303)
    expect(queue.messages()).toEqual([])
  })

  it('still refuses a submission id that was never accepted', async ({ expect }) => {
    const fields = { email: visitor(), _submission_id: `sub-${unique()}`, ...spentToken }

    const response = await exports.default.fetch(jsonPost(source, fields))

    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: 'captcha_failed' })
  })
})

describe('form origins, thank-you URL and custom fields', () => {
  const allowed = 'https://www.example.com'

  it('answers the CORS preflight for an allowed origin', async ({ expect }) => {
    const preflight = (source: string, origin: string) =>
      exports.default.fetch(
        new Request(`${BRIDGE_URL}/webhooks/${source}`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'content-type',
          },
        }),
      )

    const any = await preflight('contact', 'https://anywhere.example')
    const listed = await preflight('contact-strict', allowed)
    const other = await preflight('contact-strict', 'https://evil.example')

    expect(any.status).toBe(204)
    expect(any.headers.get('access-control-allow-origin')).toBe('*')
    expect(listed.status).toBe(204)
    expect(listed.headers.get('access-control-allow-origin')).toBe(allowed)
    expect(listed.headers.get('access-control-allow-methods')).toContain('POST')
    expect(listed.headers.get('access-control-allow-headers')).toBe('content-type')
    expect(listed.headers.get('vary')).toBe('Origin')
    expect(other.status).toBe(403)
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses a post from an origin the form does not list', async ({ expect }) => {
    const queue = watchQueue()

    const response = await exports.default.fetch(
      jsonPost('contact-strict', { email: visitor() }, { origin: 'https://evil.example' }),
    )

    expect(response.status).toBe(403)
    expect(await response.json()).toMatchObject({ error: 'origin_not_allowed' })
    expect(queue.messages()).toEqual([])
  })

  it('lets an allowed origin read the answer, maps fields and applies source options', async ({
    expect,
  }) => {
    const queue = watchQueue()

    const response = await exports.default.fetch(
      jsonPost(
        'contact-strict',
        { email: visitor(), company: 'Acme', seats: '12' },
        { origin: allowed },
      ),
    )

    expect(response.status).toBe(202)
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed)
    expect(queue.messages()[0]?.event).toMatchObject({
      subject: 'Sales enquiry',
      content: expect.stringContaining('seats: 12'),
      ticket: {
        tags: ['contact-strict', 'sales'],
        priority: 'high',
        fields: { TextField_1: 'Acme' },
      },
    })
  })

  it("sends a browser to the form's own thank-you URL", async ({ expect }) => {
    const response = await exports.default.fetch(
      formPost('contact-strict', { email: visitor() }, { origin: allowed }),
    )

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('https://www.example.com/thanks')
  })
})
