import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import {
  BRIDGE_URL,
  bearerRequest,
  DEV_SECRETS,
  post,
  slackRequest,
  standardWebhookRequest,
} from '../helpers/signed-request'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

const json = { 'content-type': 'application/json' }

describe('POST /webhooks/:source, answers common to every kind', () => {
  it('answers 404 unknown_source for a name not in config, prototype names included', async ({
    expect,
  }) => {
    for (const name of ['nope', 'constructor', '__proto__', 'toString']) {
      const response = await exports.default.fetch(post(name, '{}', json))

      expect(response.status).toBe(404)
      expect(await response.json()).toMatchObject({ error: 'unknown_source' })
    }
  })

  it('answers 415 for a content type the kind does not take, once the request is signed', async ({
    expect,
  }) => {
    const bearer = (source: string, token: string, headers: Record<string, string>) =>
      post(source, JSON.stringify(firing), { authorization: `Bearer ${token}`, ...headers })
    const cases = [
      bearer('alertmanager', DEV_SECRETS.alertmanager, { 'content-type': 'text/plain' }),
      bearer('grafana', DEV_SECRETS.grafana, {}),
      await standardWebhookRequest(
        { type: 'ticket.open' },
        { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      ),
      await slackRequest({ type: 'url_verification', challenge: 'c' }, { contentType: 'text/xml' }),
      post('contact', 'email=a@example.com', { 'content-type': 'text/plain' }),
    ]

    for (const request of cases) {
      const response = await exports.default.fetch(request)

      expect(response.status).toBe(415)
      expect(await response.json()).toMatchObject({ error: 'unsupported_media_type' })
    }
  })

  it('answers 401 before looking at the content type of an unsigned request', async ({
    expect,
  }) => {
    const text = { 'content-type': 'text/plain' }
    const cases = [
      post('alertmanager', 'hello', text),
      post('grafana', 'hello', { ...text, authorization: 'Bearer guessed-token' }),
      post('events', 'type=ticket.open', { 'content-type': 'application/x-www-form-urlencoded' }),
      post('slack', 'hello', {}),
    ]

    for (const request of cases) {
      const response = await exports.default.fetch(request)

      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: 'unauthorized' })
    }
  })

  it('answers 400 for malformed JSON without quoting it', async ({ expect }) => {
    const body = '{"email": "secret-visitor@example.com", oops'

    const response = await exports.default.fetch(post('contact', body, json))

    const text = await response.text()
    expect(response.status).toBe(400)
    expect(JSON.parse(text)).toMatchObject({
      error: 'invalid_payload',
      issues: [{ message: 'body is not valid JSON' }],
    })
    expect(text).not.toContain('secret-visitor')
  })

  it('answers 413 when Content-Length announces too much, before reading', async ({ expect }) => {
    const body = JSON.stringify({ email: 'big@example.com', message: 'x'.repeat(1024 * 1024) })

    const response = await exports.default.fetch(post('contact', body, json))

    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' })
  })

  it("answers 413 while streaming a body without Content-Length past the source's limit", async ({
    expect,
  }) => {
    const queue = watchQueue()
    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        if (pulled > 100) return controller.close()
        controller.enqueue(new TextEncoder().encode('x'.repeat(1024)))
      },
    })

    const response = await exports.default.fetch(
      new Request(`${BRIDGE_URL}/webhooks/contact-strict`, {
        method: 'POST',
        body: stream,
        headers: json,
      }),
    )

    expect(response.status).toBe(413)
    expect(pulled).toBeLessThan(100)
    expect(queue.messages()).toEqual([])
  })

  it('logs an accepted delivery where it is delivered, not on the way to the answer', async ({
    expect,
  }) => {
    const lines: string[] = []
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(' '))
    })
    const id = `msg_${crypto.randomUUID()}`
    const open = { type: 'ticket.open', thread: id, subject: 'Logged once', content: 'Hello' }

    const response = await exports.default.fetch(await standardWebhookRequest(open, { id }))
    const atAnswer = [...lines]

    expect(response.status).toBe(202)
    expect(atAnswer.filter((l) => l.includes(id))).toEqual([])
    const delivered = await vi.waitFor(
      () => {
        const line = lines.find((l) => l.includes('"msg":"delivery"') && l.includes(id))
        if (!line) throw new Error('no delivery line yet')
        return JSON.parse(line) as Record<string, unknown>
      },
      { timeout: 10_000, interval: 50 },
    )
    expect(delivered).toMatchObject({ deliveryId: id, eventId: `events:${id}:0`, attempt: 1 })
  })

  it('logs one JSON line per request with the outcome, never a secret or signature', async ({
    expect,
  }) => {
    const lines: string[] = []
    const capture = (...args: unknown[]) => void lines.push(args.map(String).join(' '))
    vi.spyOn(console, 'log').mockImplementation(capture)
    vi.spyOn(console, 'error').mockImplementation(capture)
    const request = await slackRequest(
      { type: 'url_verification', challenge: 'c' },
      { secret: 'guessed-secret' },
    )
    const signature = request.headers.get('x-slack-signature') ?? ''

    const refused = await exports.default.fetch(request)
    const wrongToken = await exports.default.fetch(
      bearerRequest('grafana', {}, 'leaked-token-guess'),
    )

    expect([refused.status, wrongToken.status]).toEqual([401, 401])
    const logs = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(logs).toEqual([
      expect.objectContaining({
        msg: 'inbound',
        source: 'slack',
        kind: 'slack',
        outcome: 'unauthorized',
        reason: 'no_matching_signature',
        status: 401,
      }),
      expect.objectContaining({ source: 'grafana', outcome: 'unauthorized', reason: 'bad_token' }),
    ])
    const everything = lines.join('\n') + JSON.stringify(await refused.text())
    for (const secret of [
      signature,
      'guessed-secret',
      'leaked-token-guess',
      DEV_SECRETS.slack,
      DEV_SECRETS.grafana,
    ]) {
      expect(everything).not.toContain(secret)
    }
  })
})
