import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import appPost from '../fixtures/slack/own-bot/app-post.json'
import customizedPost from '../fixtures/slack/own-bot/customized-post.json'
import editedPost from '../fixtures/slack/own-bot/edited-post.json'
import fileShare from '../fixtures/slack/own-bot/file-share.json'
import mention from '../fixtures/slack/own-bot/mention.json'
import reaction from '../fixtures/slack/own-bot/reaction.json'
import threadPost from '../fixtures/slack/own-bot/thread-post.json'
import threadReplied from '../fixtures/slack/own-bot/thread-replied.json'
import { slackRequest } from '../helpers/signed-request'
import { replayRecord, watchQueue } from '../webhooks/queue'

/**
 * What the bridge does in a Slack thread (its posts, edits, mentions, reactions) comes back to
 * it as events. Each must be answered 200 at once and cost nothing: no queue message, so no
 * Udesk call. The fixtures are the Events API's shapes with the Slack double's bot
 * (`auth.test`: user U0BRIDGEBOT, bot B0BRIDGEBOT; app A0EXAMPLE), which the worker's
 * SLACK_API_URL points at (vitest.config.mts).
 */
afterEach(() => {
  vi.restoreAllMocks()
})

/** The fixture in a channel and at times of this test's own, so no two tests share a thread. */
function unique<T>(fixture: T): T {
  const n = crypto.randomUUID().replaceAll('-', '').slice(0, 8).toUpperCase()
  const digits = String(Math.floor(Math.random() * 1e5)).padStart(5, '0')
  const text = JSON.stringify(fixture)
    .replaceAll('C0SUPPORT', `C0${n}`)
    .replaceAll('"17000', `"17${digits}`)
    .replaceAll('Ev0OWN', `Ev${n}`)
  return JSON.parse(text) as T
}

async function send(payload: unknown) {
  const response = await exports.default.fetch(await slackRequest(payload))
  return { status: response.status, body: await response.json() }
}

/** The delivery id a message is remembered under (team, channel, ts). */
function identity(payload: { team_id: string; event: object }) {
  const event = payload.event as { channel?: string; ts?: string }
  return `${payload.team_id}:${event.channel}:${event.ts}`
}

describe("the bridge's own Slack events", { timeout: 30_000 }, () => {
  it.for([
    { name: 'its reply in a thread (bot_id, app_id, bot user)', fixture: threadPost },
    { name: 'a reply under an agent’s name (chat:write.customize)', fixture: customizedPost },
    { name: 'a file it shared as its bot user, without a bot_id', fixture: fileShare },
    { name: 'a broadcast made by its app, without a bot_id', fixture: appPost },
    { name: 'a mention of itself in its own post', fixture: mention },
    { name: 'an edit of its post (message_changed)', fixture: editedPost },
    { name: 'the thread notice of its reply (message_replied)', fixture: threadReplied },
    { name: 'a reaction it added', fixture: reaction },
  ])('ignores $name: 200, nothing queued, nothing remembered', async ({ fixture }, { expect }) => {
    const queue = watchQueue()
    const payload = unique(fixture)

    const answer = await send(payload)

    expect(answer).toEqual({ status: 200, body: { status: 'ignored' } })
    expect(queue.messages()).toEqual([])
    expect(await replayRecord('slack', identity(payload))).toBeNull()
  })

  it('accepts the same message from a person: only the bot is ignored', async ({ expect }) => {
    const queue = watchQueue()
    const payload = unique(fileShare)
    payload.event.user = 'U0CUSTOMER'

    const answer = await send(payload)

    expect(answer).toEqual({ status: 202, body: { status: 'accepted', id: identity(payload) } })
    expect(queue.messages()).toMatchObject([
      { event: { type: 'open', content: expect.stringContaining('export log') } },
    ])
  })
})
