import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import {
  DEV_SECRETS,
  nowSeconds,
  post,
  slackRequest,
  standardWebhookSignature,
} from '../helpers/signed-request'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

function openPayload(thread = `svix-${crypto.randomUUID()}`) {
  return {
    type: 'ticket.open',
    thread,
    subject: 'Cannot log in',
    content: 'The reset link says it expired.',
  }
}

/** Signed as a sender on Svix signs: the same scheme under `svix-*` header names. */
async function svixRequest(payload: unknown, extraSignatures: string[] = []) {
  const body = JSON.stringify(payload)
  const id = `msg_${crypto.randomUUID()}`
  const timestamp = nowSeconds()
  const signature = await standardWebhookSignature(DEV_SECRETS.events, id, timestamp, body)
  return post('events', body, {
    'content-type': 'application/json',
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': [...extraSignatures, signature].join(' '),
  })
}

const bogus = (n: number) => `v1,${btoa(String(n).padStart(32, 'x'))}`

describe('Standard Webhooks as Svix senders send them', () => {
  it('accepts a ticket.open signed correctly under svix-* header names', async ({ expect }) => {
    const queue = watchQueue()
    const request = await svixRequest(openPayload())
    const id = request.headers.get('svix-id')

    const response = await exports.default.fetch(request)

    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ status: 'accepted', id })
    expect(queue.messages().map((m) => m.event.id)).toEqual([`events:${id}:0`])
  })

  it('accepts the right signature among five listed', async ({ expect }) => {
    const request = await svixRequest(openPayload(), [1, 2, 3, 4].map(bogus))

    const response = await exports.default.fetch(request)

    expect(response.status).toBe(202)
  })

  it('refuses more than five listed signatures with 401, even with the right one', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const request = await svixRequest(openPayload(), [1, 2, 3, 4, 5].map(bogus))

    const response = await exports.default.fetch(request)

    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: 'unauthorized' })
    expect(queue.messages()).toEqual([])
  })

  it('refuses a malformed id or signature list with 401 before checking it', async ({ expect }) => {
    const good = await svixRequest(openPayload())
    const headers = (change: Record<string, string>) => {
      const all = Object.fromEntries(good.headers)
      return { ...all, ...change }
    }
    const body = await good.clone().text()

    const answers = []
    const changes: Record<string, string>[] = [
      { 'svix-id': 'msg with spaces' },
      { 'svix-id': 'x'.repeat(201) },
      { 'svix-signature': 'v1' },
      { 'svix-signature': ' ' },
    ]
    for (const change of changes) {
      answers.push((await exports.default.fetch(post('events', body, headers(change)))).status)
    }

    expect(answers).toEqual([401, 401, 401, 401])
  })
})

describe('sender headers in the request log', () => {
  it('logs no Slack retry header for a request that fails authentication', async ({ expect }) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const request = await slackRequest(
      { type: 'event_callback', team_id: 'T1', event_id: 'Ev1', event: { type: 'message' } },
      { secret: 'not-the-secret', headers: { 'x-slack-retry-num': '9'.repeat(8000) } },
    )

    const response = await exports.default.fetch(request)

    expect(response.status).toBe(401)
    const lines = log.mock.calls.map(([line]) => String(line))
    expect(lines.some((line) => line.includes('"msg":"inbound"'))).toBe(true)
    expect(lines.every((line) => !line.includes('retryNum') && line.length < 1000)).toBe(true)
  })

  it('logs an authenticated Slack retry header clipped to 16 characters', async ({ expect }) => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const request = await slackRequest(
      { type: 'app_rate_limited', team_id: 'T1' },
      { headers: { 'x-slack-retry-num': '1'.repeat(8000) } },
    )

    await exports.default.fetch(request)

    const inbound = log.mock.calls
      .map(([line]) => JSON.parse(String(line)) as Record<string, unknown>)
      .find((entry) => entry.msg === 'inbound')
    expect(inbound?.retryNum).toBe('1'.repeat(16))
  })
})
