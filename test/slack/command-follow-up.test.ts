import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import { allowedResponseUrl, followUpTarget } from '../../src/slack/command-follow-up'
import slashCommand from '../fixtures/slack/slash-command.json'
import { slackRequest } from '../helpers/signed-request'
import { simUrl } from '../helpers/sim'
import { defaultSlack, slackFault, slackResponses, slackResponseUrl } from '../helpers/slack-sim'
import { settle, ticketsWhere, udesk } from '../helpers/udesk-reader'

/**
 * `/ticket` is answered before the ticket exists; once delivery made it, the caller is told
 * its number on the command's `response_url`, which only ever points at Slack (here the Slack
 * double: the worker's SLACK_API_URL, vitest.config.mts, makes its origin the allowed one).
 */
const slack = defaultSlack()
const URLENCODED = 'application/x-www-form-urlencoded'

/** Slack's slash command, urlencoded and signed as Slack posts it, with this test's own text. */
async function sendCommand(change: Record<string, string>) {
  const trigger_id = `${crypto.randomUUID()}.1.abc`
  const text = `Our dashboard shows no data ${crypto.randomUUID().slice(0, 8)}`
  const body = new URLSearchParams({ ...slashCommand, trigger_id, text, ...change }).toString()
  const response = await exports.default.fetch(
    await slackRequest(body, { contentType: URLENCODED }),
  )
  return { status: response.status, text }
}

async function ticketWithSubject(subject: string) {
  return vi.waitFor(async () => {
    const [found] = await ticketsWhere((t) => t.subject === subject)
    if (!found) throw new Error('no ticket yet')
    return found
  }, settle)
}

const postsTo = async (url: string) =>
  (await slackResponses(slack)).filter((r) => r.path === new URL(url).pathname.slice(6))

afterEach(() => {
  vi.restoreAllMocks()
})

describe('a slash command learns its ticket number', { timeout: 30_000 }, () => {
  it('posts "Ticket #N opened." to the response_url once, after the ticket exists', async ({
    expect,
  }) => {
    const responseUrl = slackResponseUrl(slack)

    const { status, text } = await sendCommand({ response_url: responseUrl })

    expect(status).toBe(200)
    const ticket = await ticketWithSubject(text)
    const detail = await udesk.getTicket({ id: Number(ticket.id) })
    const number = (detail as { field_num?: string }).field_num
    expect(number).toMatch(/^#\d+$/)
    const posts = await vi.waitFor(async () => {
      const found = await postsTo(responseUrl)
      expect(found).toHaveLength(1)
      return found
    }, settle)
    expect(posts[0]).toMatchObject({
      status: 200,
      contentType: 'application/json',
      body: {
        response_type: 'ephemeral',
        replace_original: false,
        text: `Ticket ${number} opened.`,
      },
    })
  })

  it('opens the ticket when Slack refuses the follow-up (expired_url)', async ({ expect }) => {
    const responseUrl = slackResponseUrl(slack)
    const path = new URL(responseUrl).pathname
    await slackFault(slack, { method: 'response_url', match: path, error: 'expired_url' })

    const { text } = await sendCommand({ response_url: responseUrl })

    await ticketWithSubject(text)
    await vi.waitFor(async () => {
      expect((await postsTo(responseUrl)).map((p) => p.status)).toEqual([404])
    }, settle)
  })

  it('never fetches a response_url outside Slack, and still opens the ticket', async ({
    expect,
  }) => {
    // The same simulator under another origin: a request to it would be recorded.
    const elsewhere = slackResponseUrl(slack).replace(
      simUrl(),
      simUrl().replace('127.0.0.1', 'localhost'),
    )
    expect(new URL(elsewhere).origin).not.toBe(new URL(simUrl()).origin)

    const warn = vi.spyOn(console, 'warn')

    const { text } = await sendCommand({ response_url: elsewhere })

    await ticketWithSubject(text)
    await vi.waitFor(() => {
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('"outcome":"refused_url"'))
    }, settle)
    expect(await postsTo(elsewhere)).toEqual([])
  })
})

describe('allowedResponseUrl', () => {
  const SLACK = 'https://slack.com/api'
  const DEV = 'http://127.0.0.1:8788/slack/api'

  it.for([
    [
      'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN',
      SLACK,
      true,
    ],
    ['http://127.0.0.1:8788/slack/commands/T0001/1/abc', DEV, true],
    ['http://hooks.slack.com/commands/T1/2/3', SLACK, false],
    ['https://hooks.slack.com.evil.example/commands/T1/2/3', SLACK, false],
    ['https://user:pass@hooks.slack.com/commands/T1/2/3', SLACK, false],
    ['https://hooks.slack.com:8443/commands/T1/2/3', SLACK, false],
    ['https://slack.com/api/chat.postMessage', SLACK, false],
    ['http://127.0.0.1:8788/slack/commands/T0001/1/abc', SLACK, false],
    ['http://169.254.169.254/latest/meta-data', DEV, false],
    ['not a url', SLACK, false],
  ] as const)('%s with SLACK_API_URL %s: allowed %s', ([url, apiUrl, allowed], { expect }) => {
    expect(allowedResponseUrl(url, apiUrl) !== undefined).toBe(allowed)
  })
})

describe('followUpTarget', () => {
  const url = 'https://hooks.slack.com/commands/T1DC2JH3J/397700885554/96rGlfmibIGlgcZRskXaIFfN'
  const at = Date.UTC(2026, 0, 5, 9, 0)

  it('sends within the 30 minutes Slack takes follow-ups, and not after', ({ expect }) => {
    const within = followUpTarget(url, 'https://slack.com/api', at, at + 30 * 60_000)
    const after = followUpTarget(url, 'https://slack.com/api', at, at + 30 * 60_000 + 1)

    expect(within).toEqual({ url: new URL(url) })
    expect(after).toEqual({ skip: 'expired' })
  })

  it('refuses a URL outside Slack whatever its age', ({ expect }) => {
    const target = followUpTarget('https://example.com/x', 'https://slack.com/api', at, at)

    expect(target).toEqual({ skip: 'refused_url' })
  })
})
