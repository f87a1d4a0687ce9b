import { exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import message from '../fixtures/slack/message.json'
import threadReply from '../fixtures/slack/thread-reply.json'
import { slackRequest } from '../helpers/signed-request'
import { createSimCustomer, defaultSim, simCalls, simState } from '../helpers/sim'
import { addSlackUser, defaultSlack, slackCalls, slackFault } from '../helpers/slack-sim'
import { settle, ticketWith } from '../helpers/udesk-reader'
import { slackProfileFields } from '../../src/slack/slack-profile'

/**
 * users.info enrichment: a Slack user's Udesk customer gets their real name and email when the
 * bridge first creates it, keeps the `slack:{team}:{user}` token it is found by, and nothing
 * Slack or Udesk refuses holds the ticket. The worker's SLACK_API_URL is the default
 * instance's Slack double (vitest.config.mts); each test has a user of its own.
 */
const slack = defaultSlack()
const TEAM = message.team_id

const uniqueId = (prefix: string) =>
  `${prefix}${crypto.randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`

/** A Slack user's message, shaped as Slack's example, in a channel of its own. */
function messageFrom(user: string, text: string) {
  const channel = uniqueId('C')
  const ts = `1700000000.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`
  return {
    ...message,
    event_id: uniqueId('Ev'),
    event: { ...message.event, channel, user, ts, text },
  }
}

function replyIn(top: ReturnType<typeof messageFrom>, text: string) {
  const ts = `${Number(top.event.ts.split('.')[0]) + 60}.${top.event.ts.split('.')[1]}`
  const event = { ...threadReply.event, channel: top.event.channel, user: top.event.user }
  return {
    ...threadReply,
    event_id: uniqueId('Ev'),
    event: { ...event, thread_ts: top.event.ts, ts, text },
  }
}

async function send(payload: unknown) {
  const response = await exports.default.fetch(await slackRequest(payload))
  return response.status
}

async function customerOf(user: string) {
  const { customers } = await simState(defaultSim().controlUrl)
  return customers.find((c) => c.web_token === `slack:${TEAM}:${user}`)
}

async function userLookups(user: string) {
  return (await slackCalls(slack, 'users.info')).filter((call) => call.params.user === user)
}

/** Udesk calls since `since` whose body or query mentions one of `texts`. */
async function udeskCallsMentioning(since: number, ...texts: string[]) {
  const calls = await simCalls(defaultSim().controlUrl, since)
  return calls.filter((c) => texts.some((t) => JSON.stringify([c.body, c.query]).includes(t)))
}

const lastUdeskSeq = async () => (await simCalls(defaultSim().controlUrl)).at(-1)?.seq ?? 0

describe('Slack customers with a bot token (users.info)', { timeout: 30_000 }, () => {
  it("gives a new Slack user's customer their real name and email, keeping the Slack token", async ({
    expect,
  }) => {
    const user = uniqueId('U')
    const email = `${user.toLowerCase()}@client.example.com`
    await addSlackUser(slack, { id: user, realName: 'Dana Scully', displayName: 'dana', email })
    const marker = uniqueId('profile')
    const since = await lastUdeskSeq()

    expect(await send(messageFrom(user, `Export fails (${marker})`))).toBe(202)

    const ticket = await ticketWith(marker)
    const customer = await customerOf(user)
    expect(customer).toMatchObject({ nick_name: 'Dana Scully', email })
    expect(ticket.user_id).toBe(customer?.id)
    expect(await userLookups(user)).toHaveLength(1)
    const calls = await udeskCallsMentioning(since, `slack:${TEAM}:${user}`)
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'GET /customers/get_customer',
      'POST /customers',
      'POST /tickets',
    ])
  })

  it('asks Slack nothing for a returning user: one Udesk call per thread reply, one per new thread', async ({
    expect,
  }) => {
    const user = uniqueId('U')
    await addSlackUser(slack, { id: user, realName: 'Fox Mulder', email: null })
    const token = `slack:${TEAM}:${user}`
    const [one, two] = [uniqueId('first'), uniqueId('second')]
    const first = messageFrom(user, `First question (${one})`)
    await send(first)
    await ticketWith(one)
    const since = await lastUdeskSeq()
    const reply = replyIn(first, `More detail (${uniqueId('reply')})`)

    expect(await send(reply)).toBe(202)
    expect(await send(messageFrom(user, `Another question (${two})`))).toBe(202)

    await ticketWith(two)
    await vi.waitFor(async () => {
      const calls = await udeskCallsMentioning(since, token, reply.event.text)
      expect(calls.map((c) => `${c.method} ${c.path}`).sort()).toEqual([
        'POST /tickets',
        'POST /tickets/customer_reply',
      ])
    }, settle)
    expect(await userLookups(user)).toHaveLength(1)
    expect(await customerOf(user)).toMatchObject({ nick_name: 'Fox Mulder', email: null })
  })

  it('creates the customer without the email when another Udesk customer already has it', async ({
    expect,
  }) => {
    const user = uniqueId('U')
    const email = `${user.toLowerCase()}@shared.example.com`
    const existing = await createSimCustomer(defaultSim(), email)
    await addSlackUser(slack, { id: user, realName: 'Walter Skinner', email })
    const marker = uniqueId('taken')

    expect(await send(messageFrom(user, `Billing question (${marker})`))).toBe(202)

    const ticket = await ticketWith(marker)
    const customer = await customerOf(user)
    expect(customer).toMatchObject({ nick_name: 'Walter Skinner', email: null })
    expect(ticket.user_id).toBe(customer?.id)
    expect(ticket.user_id).not.toBe(existing)
  })

  it.for([
    { case: 'an unknown user', error: 'user_not_found', fault: undefined },
    {
      case: 'a token without users:read',
      error: 'missing_scope',
      fault: { error: 'missing_scope' },
    },
    { case: "Slack's rate limit", error: 'ratelimited', fault: { retryAfter: 30 } },
    { case: "Slack's outage", error: 'http', fault: { status: 503 } },
  ])('opens the ticket for a token-only customer after $case', async (example, { expect }) => {
    const user = uniqueId('U')
    if (example.fault) {
      await addSlackUser(slack, { id: user, realName: 'Never Shown', email: 'never@example.com' })
      await slackFault(slack, { method: 'users.info', match: user, ...example.fault })
    }
    const marker = uniqueId('fallback')

    expect(await send(messageFrom(user, `Login loops (${marker})`))).toBe(202)

    const ticket = await ticketWith(marker)
    const customer = await customerOf(user)
    expect(customer).toMatchObject({ nick_name: `slack:${TEAM}:${user}`, email: null })
    expect(ticket.user_id).toBe(customer?.id)
    const lookups = await userLookups(user)
    expect(lookups).toHaveLength(1)
    expect(lookups[0]?.error).toBe(example.error)
  })
})

describe('slackProfileFields', () => {
  // users.info's example answer in Slack's docs, as the double gives it.
  const egon = {
    id: 'W012A3CDE',
    team_id: 'T012AB3C4',
    name: 'spengler',
    real_name: 'Egon Spengler',
    profile: {
      real_name: 'Egon Spengler',
      display_name: 'spengler',
      email: 'Spengler@Ghostbusters.example.com ',
    },
  }

  it("takes the profile's real name and the email, lowercased", ({ expect }) => {
    expect(slackProfileFields(egon)).toEqual({
      name: 'Egon Spengler',
      email: 'spengler@ghostbusters.example.com',
    })
  })

  it('falls back to the display name and handle, and drops an email that is none', ({ expect }) => {
    const bare = { id: 'U1', name: 'ray', profile: { real_name: ' ', email: 'not-an-email' } }

    expect(slackProfileFields(bare)).toEqual({ name: 'ray' })
    expect(slackProfileFields({ id: 'U2' })).toEqual({})
  })
})
