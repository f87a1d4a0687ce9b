import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import botMessage from '../fixtures/slack/bot-message.json'
import messageChanged from '../fixtures/slack/message-changed.json'
import messageDeleted from '../fixtures/slack/message-deleted.json'
import message from '../fixtures/slack/message.json'
import threadReply from '../fixtures/slack/thread-reply.json'
import urlVerification from '../fixtures/slack/url-verification.json'
import {
  DEV_SECRETS,
  nowSeconds,
  post,
  slackRequest,
  slackSignature,
} from '../helpers/signed-request'
import { rememberedRecord, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Slack's example message with this test's own event id, channel and timestamps. */
function uniqueMessage(base: typeof message | typeof threadReply = message) {
  const n = crypto.randomUUID().slice(0, 8)
  return {
    ...base,
    event_id: `Ev${n}`,
    event: { ...base.event, channel: `C${n}`, ts: `1700000000.${n}` },
  }
}

describe('POST /webhooks/slack', () => {
  it('answers url_verification with the challenge', async ({ expect }) => {
    const response = await exports.default.fetch(await slackRequest(urlVerification))

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ challenge: urlVerification.challenge })
  })

  it('accepts a top-level message as an open event for the Slack user', async ({ expect }) => {
    const queue = watchQueue()
    const payload = uniqueMessage()

    const response = await exports.default.fetch(await slackRequest(payload))

    const identity = `T061EG9R6:${payload.event.channel}:${payload.event.ts}`
    expect(response.status).toBe(202)
    expect(await response.json()).toEqual({ status: 'accepted', id: identity })
    expect(queue.messages()).toMatchObject([
      {
        deliveryId: identity,
        event: {
          id: `slack:${identity}:0`,
          type: 'open',
          thread: `${payload.event.channel}:${payload.event.ts}`,
          subject: 'Our invoices page shows a 500 since this morning.',
          customer: { token: 'slack:T061EG9R6:U2147483697' },
        },
      },
    ])
    expect(await rememberedRecord('slack', identity)).toMatchObject({
      eventIds: [`slack:${identity}:0`],
    })
  })

  it('never queues a Slack retry of the same event (X-Slack-Retry-Num)', async ({ expect }) => {
    const payload = uniqueMessage()
    await exports.default.fetch(await slackRequest(payload))
    const queue = watchQueue()

    const retry = await exports.default.fetch(
      await slackRequest(payload, {
        headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
      }),
    )

    expect(retry.status).toBe(200)
    expect(await retry.json()).toEqual({ status: 'duplicate' })
    expect(queue.messages()).toEqual([])
  })

  it("queues a message in a thread as a reply on the parent's thread", async ({ expect }) => {
    const payload = uniqueMessage(threadReply)
    const { channel } = payload.event
    const parent = {
      ...message,
      event: { ...message.event, channel, ts: threadReply.event.thread_ts },
    }
    await exports.default.fetch(await slackRequest(parent))
    const queue = watchQueue()

    const response = await exports.default.fetch(await slackRequest(payload))

    expect(response.status).toBe(202)
    expect(queue.messages()).toMatchObject([
      {
        event: {
          type: 'reply',
          thread: `${payload.event.channel}:${threadReply.event.thread_ts}`,
          content: 'It happens on Safari and Chrome.',
        },
      },
    ])
  })

  it('ignores bot messages, edits and deletions with 200, queueing nothing', async ({ expect }) => {
    const queue = watchQueue()

    const answers = []
    for (const fixture of [botMessage, messageChanged, messageDeleted]) {
      const response = await exports.default.fetch(await slackRequest(fixture))
      answers.push([response.status, await response.json()])
    }

    expect(answers).toEqual(Array(3).fill([200, { status: 'ignored' }]))
    expect(queue.messages()).toEqual([])
  })

  it('maps a shared channel to its configured customer and accepts a rotated secret', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const payload = { ...uniqueMessage(), event: { ...message.event, channel: 'C0SHARED01' } }
    payload.event.ts = `1700000001.${crypto.randomUUID().slice(0, 8)}`

    const newSecret = await exports.default.fetch(
      await slackRequest(payload, { source: 'slack-shared', secret: 'new-slack-signing-secret' }),
    )
    const oldSecret = await exports.default.fetch(
      await slackRequest(urlVerification, { source: 'slack-shared', secret: DEV_SECRETS.slack }),
    )

    expect(newSecret.status).toBe(202)
    expect(oldSecret.status).toBe(200)
    expect(queue.messages()[0]?.event).toMatchObject({
      source: 'slack-shared',
      customer: { email: 'ops@client.example.com' },
    })
  })

  it('answers a signed ssl_check with 200 and queues nothing', async ({ expect }) => {
    const queue = watchQueue()

    const response = await exports.default.fetch(
      await slackRequest('ssl_check=1&token=XXYYZZ', {
        contentType: 'application/x-www-form-urlencoded',
      }),
    )

    expect(response.status).toBe(200)
    expect(queue.messages()).toEqual([])
  })

  it('refuses a wrong secret, a stale timestamp and a missing signature with 401', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const payload = uniqueMessage()
    const body = JSON.stringify(payload)
    const stale = nowSeconds() - 600

    const requests = [
      await slackRequest(payload, { secret: 'not-the-signing-secret' }),
      await slackRequest(payload, { timestamp: stale }),
      await slackRequest(payload, { timestamp: nowSeconds() + 600 }),
      post('slack', body, {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(stale),
        'x-slack-signature': await slackSignature(DEV_SECRETS.slack, stale + 1, body),
      }),
      post('slack', body, { 'content-type': 'application/json' }),
    ]

    for (const request of requests) {
      const response = await exports.default.fetch(request)

      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: 'unauthorized' })
    }
    expect(queue.messages()).toEqual([])
  })
})
