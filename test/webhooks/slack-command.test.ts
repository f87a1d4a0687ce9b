import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import slashCommand from '../fixtures/slack/slash-command.json'
import { slackRequest } from '../helpers/signed-request'
import { settle, ticketsWhere } from '../helpers/udesk-reader'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

const URLENCODED = 'application/x-www-form-urlencoded'

/** Slack's slash command fields, urlencoded as Slack posts them, with this test's own trigger. */
function commandBody(change: Record<string, string>): string {
  const trigger_id = `${crypto.randomUUID()}.1.abc`
  return new URLSearchParams({ ...slashCommand, trigger_id, ...change }).toString()
}

describe('Slack slash command', () => {
  it('opens a ticket for the caller and answers them alone at once', async ({ expect }) => {
    const text = `Our dashboard shows no data ${crypto.randomUUID().slice(0, 8)}`
    const request = slackRequest(commandBody({ text }), { contentType: URLENCODED })

    const response = await exports.default.fetch(await request)

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      response_type: 'ephemeral',
      text: 'Received: a ticket is being opened for you.',
    })
    const ticket = await vi.waitFor(async () => {
      const [found] = await ticketsWhere((t) => t.subject === text)
      if (!found) throw new Error('no ticket yet')
      return found
    }, settle)
    expect(ticket.content).toContain(text)
  })

  it('answers a command it does not handle, and an empty one, without a ticket', async ({
    expect,
  }) => {
    const queue = watchQueue()
    const other = slackRequest(commandBody({ command: '/deploy' }), { contentType: URLENCODED })
    const empty = slackRequest(commandBody({ text: '' }), { contentType: URLENCODED })

    const answers = [
      await exports.default.fetch(await other),
      await exports.default.fetch(await empty),
    ]

    expect(answers.map((a) => a.status)).toEqual([200, 200])
    const bodies = await Promise.all(answers.map((a) => a.json()))
    expect(bodies).toMatchObject([{ response_type: 'ephemeral' }, { response_type: 'ephemeral' }])
    expect(queue.messages()).toEqual([])
  })

  it('refuses a command signed with the wrong secret', async ({ expect }) => {
    const request = slackRequest(commandBody({}), { contentType: URLENCODED, secret: 'wrong' })

    const response = await exports.default.fetch(await request)

    expect(response.status).toBe(401)
  })

  it('answers an unknown envelope type 200 and does nothing', async ({ expect }) => {
    const queue = watchQueue()

    const response = await exports.default.fetch(
      await slackRequest({ type: 'some_future_envelope', team_id: 'T1' }),
    )

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ignored' })
    expect(queue.messages()).toEqual([])
  })
})
