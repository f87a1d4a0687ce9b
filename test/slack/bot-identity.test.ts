import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { slackBotFromEnv } from '../../src/slack/bot'
import { botIdentity } from '../../src/slack/bot-identity'
import { DEV_SLACK_BOT_TOKEN, freshSlack, slackCalls, slackFault } from '../helpers/slack-sim'

/** The bot of a fresh Slack double (its own workspace and call log) through the env reader. */
async function freshBot() {
  const slack = await freshSlack()
  const settings = { SLACK_BOT_TOKEN: DEV_SLACK_BOT_TOKEN, SLACK_API_URL: slack.apiUrl }
  const bot = slackBotFromEnv(settings as unknown as Env)
  if (!bot) throw new Error('a bot token is set')
  return { slack, bot }
}

const MINUTE = 60_000

describe("the bot's identity (auth.test)", () => {
  it('asks Slack once, then answers from the isolate and, after that, from KV', async ({
    expect,
  }) => {
    const { slack, bot } = await freshBot()
    const now = Date.now()

    const first = await botIdentity(bot, env.BRIDGE_KV, now)
    const again = await botIdentity(bot, env.BRIDGE_KV, now + MINUTE)
    const fromKv = await botIdentity(bot, env.BRIDGE_KV, now + 11 * MINUTE)

    expect(first).toEqual({ userId: 'U0BRIDGEBOT', botId: 'B0BRIDGEBOT' })
    expect([again, fromKv]).toEqual([first, first])
    expect(await slackCalls(slack, 'auth.test')).toHaveLength(1)
  })

  it('goes on without it when Slack refuses, and asks again only a minute later', async ({
    expect,
  }) => {
    const { slack, bot } = await freshBot()
    await slackFault(slack, { method: 'auth.test', error: 'invalid_auth' })
    const now = Date.now()

    const refused = await botIdentity(bot, env.BRIDGE_KV, now)
    const meanwhile = await botIdentity(bot, env.BRIDGE_KV, now + 30_000)
    const later = await botIdentity(bot, env.BRIDGE_KV, now + 61_000)

    expect([refused, meanwhile]).toEqual([undefined, undefined])
    expect(later).toEqual({ userId: 'U0BRIDGEBOT', botId: 'B0BRIDGEBOT' })
    expect((await slackCalls(slack, 'auth.test')).map((c) => c.error)).toEqual([
      'invalid_auth',
      null,
    ])
  })
})
