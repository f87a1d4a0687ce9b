import { beforeAll, describe, it } from 'vitest'
import { PERMANENT_SLACK_ERRORS } from '../../src/outbound/slack-errors'
import { createSlackClient } from '../../src/outbound/slack-out'
import type { SlackTs } from '../../src/outbound/slack-schemas'
import { textToMrkdwn } from '../../src/outbound/udesk-html-to-mrkdwn'
import {
  DEV_SLACK_BOT_TOKEN,
  freshSlack,
  seedSlackMessage,
  slackCalls,
  slackFault,
  slackThread,
  type SlackSim,
} from '../helpers/slack-sim'

let slack: SlackSim
let client: ReturnType<typeof createSlackClient>
beforeAll(async () => {
  slack = await freshSlack()
  client = createSlackClient({ token: DEV_SLACK_BOT_TOKEN, baseUrl: slack.apiUrl })
})

/** A customer's root message in its own channel, so tests do not see each other's posts. */
async function customerThread(channel: string) {
  const ts = await seedSlackMessage(slack, { channel, user: 'U0CUSTOMER', text: 'Dashboard down' })
  return ts as SlackTs
}

describe('Slack Web API client', () => {
  it("posts a reply into the customer's thread and answers the new message's ts", async ({
    expect,
  }) => {
    const threadTs = await customerThread('C0POST')

    const result = await client.postMessage({
      channel: 'C0POST',
      threadTs,
      text: textToMrkdwn('Fixed <now> & done'),
    })

    expect(result).toMatchObject({ ok: true, value: { channel: 'C0POST' } })
    const thread = await slackThread(slack, 'C0POST', threadTs)
    expect(thread.map((m) => [m.user, m.bot_id, m.text])).toEqual([
      ['U0CUSTOMER', undefined, 'Dashboard down'],
      ['U0BRIDGEBOT', 'B0BRIDGEBOT', 'Fixed &lt;now&gt; &amp; done'],
    ])
    const [call] = await slackCalls(slack, 'chat.postMessage')
    expect(call?.params).toEqual({
      channel: 'C0POST',
      thread_ts: threadTs,
      text: 'Fixed &lt;now&gt; &amp; done',
      unfurl_links: 'false',
    })
  })

  it('counts already_reacted and no_reaction as success', async ({ expect }) => {
    const ts = await customerThread('C0REACT')
    const reaction = { channel: 'C0REACT', ts, name: 'white_check_mark' }

    const added = [await client.addReaction(reaction), await client.addReaction(reaction)]
    const shown = (await slackThread(slack, 'C0REACT', ts))[0]?.reactions
    const removed = [await client.removeReaction(reaction), await client.removeReaction(reaction)]

    expect(added).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: undefined },
    ])
    expect(shown).toEqual([{ name: 'white_check_mark', users: ['U0BRIDGEBOT'], count: 1 }])
    expect(removed).toEqual([
      { ok: true, value: undefined },
      { ok: true, value: undefined },
    ])
    const errors = (await slackCalls(slack)).filter((c) => c.params.channel === 'C0REACT')
    expect(errors.map((c) => c.error)).toEqual([null, 'already_reacted', null, 'no_reaction'])
  })

  it("answers a 429 as rate_limited with Slack's Retry-After, posting nothing", async ({
    expect,
  }) => {
    const threadTs = await customerThread('C0LIMIT')
    await slackFault(slack, { method: 'chat.postMessage', channel: 'C0LIMIT', retryAfter: 7 })

    const result = await client.postMessage({
      channel: 'C0LIMIT',
      threadTs,
      text: textToMrkdwn('x'),
    })

    expect(result).toEqual({
      ok: false,
      kind: 'rate_limited',
      retryAfterMs: 7000,
      error: 'ratelimited',
    })
    expect(await slackThread(slack, 'C0LIMIT', threadTs)).toHaveLength(1)
  })

  it.for([
    ['0', 1000],
    ['-5', 1000],
    ['0.2', 1000],
    ['86400', 900_000],
    ['soon', 30_000],
    ['', 30_000],
  ] as const)(
    'keeps a 429 Retry-After of %j within one second and 15 minutes (%i ms)',
    async ([header, expected], { expect }) => {
      const limited = createSlackClient({
        token: 'xoxb-dev-slack-bot-token',
        baseUrl: slack.apiUrl,
        fetch: async () =>
          new Response('{"ok":false,"error":"ratelimited"}', {
            status: 429,
            headers: { 'retry-after': header },
          }),
      })

      const result = await limited.postMessage({
        channel: 'C0CLAMP',
        threadTs: '1700000000.000100' as SlackTs,
        text: textToMrkdwn('x'),
      })

      expect(result).toEqual({
        ok: false,
        kind: 'rate_limited',
        retryAfterMs: expected,
        error: 'ratelimited',
      })
    },
  )

  it.for([...PERMANENT_SLACK_ERRORS])('types %s as permanent', async (error, { expect }) => {
    const channel = `C0P${error.toUpperCase().replace(/_/g, '')}`
    const threadTs = await customerThread(channel)
    await slackFault(slack, { channel, error })

    const result = await client.postMessage({ channel, threadTs, text: textToMrkdwn('x') })

    expect(result).toEqual({ ok: false, kind: 'permanent', error })
  })

  it('types a wrong token as permanent invalid_auth', async ({ expect }) => {
    const wrong = createSlackClient({ token: 'xoxb-wrong', baseUrl: slack.apiUrl })

    expect(await wrong.authTest()).toEqual({ ok: false, kind: 'permanent', error: 'invalid_auth' })
  })

  it('types a refused call as rejected, and 5xx or no answer as transient', async ({ expect }) => {
    const threadTs = await customerThread('C0ODD')
    const long = textToMrkdwn('y'.repeat(40_001))
    await slackFault(slack, { channel: 'C0ODD', method: 'reactions.add', status: 503 })
    const nowhere = createSlackClient({
      token: DEV_SLACK_BOT_TOKEN,
      baseUrl: 'http://127.0.0.1:9/api',
    })

    const refused = await client.postMessage({ channel: 'C0ODD', threadTs, text: long })
    const down = await client.addReaction({ channel: 'C0ODD', ts: threadTs, name: 'eyes' })
    const unreachable = await nowhere.authTest()

    expect(refused).toEqual({ ok: false, kind: 'rejected', error: 'msg_too_long' })
    expect(down).toEqual({ ok: false, kind: 'transient', error: 'http_503' })
    expect(unreachable).toEqual({ ok: false, kind: 'transient', error: 'network_error' })
  })

  it("reads a user's real name and email, and who the bot is", async ({ expect }) => {
    const user = await client.userInfo('U0CUSTOMER')
    const identity = await client.authTest()
    const unknown = await client.userInfo('U0NOBODY')

    expect(user).toMatchObject({
      ok: true,
      value: {
        id: 'U0CUSTOMER',
        real_name: 'Ana Lima',
        profile: { email: 'ana.lima@example.com' },
      },
    })
    expect(identity).toMatchObject({
      ok: true,
      value: { user_id: 'U0BRIDGEBOT', bot_id: 'B0BRIDGEBOT', team_id: 'T0EXAMPLE' },
    })
    expect(unknown).toEqual({ ok: false, kind: 'rejected', error: 'user_not_found' })
  })

  it('lists a thread page by page, to find a post whose answer was lost', async ({ expect }) => {
    const threadTs = await customerThread('C0LIST')
    for (const text of ['one', 'two', 'three']) {
      await client.postMessage({ channel: 'C0LIST', threadTs, text: textToMrkdwn(text) })
    }

    const first = await client.conversationReplies({ channel: 'C0LIST', ts: threadTs, limit: 2 })
    const cursor = first.ok ? first.value.response_metadata?.next_cursor : undefined
    const second = await client.conversationReplies({
      channel: 'C0LIST',
      ts: threadTs,
      limit: 2,
      cursor,
    })

    const texts = [first, second].flatMap((r) => (r.ok ? r.value.messages.map((m) => m.text) : []))
    expect(texts).toEqual(['Dashboard down', 'one', 'two', 'three'])
    expect(first.ok && first.value.has_more).toBe(true)
    expect(second.ok && second.value.messages.every((m) => m.bot_id === 'B0BRIDGEBOT')).toBe(true)
  })

  it('links to a reply in its thread', async ({ expect }) => {
    const threadTs = await customerThread('C0LINK')
    const posted = await client.postMessage({
      channel: 'C0LINK',
      threadTs,
      text: textToMrkdwn('hi'),
    })
    const ts = posted.ok ? posted.value.ts : ('0.0' as SlackTs)

    const link = await client.getPermalink({ channel: 'C0LINK', messageTs: ts })

    const path = `archives/C0LINK/p${ts.replace('.', '')}?thread_ts=${threadTs}&cid=C0LINK`
    expect(link).toEqual({ ok: true, value: `https://example-workspace.slack.com/${path}` })
  })
})
