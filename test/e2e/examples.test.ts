import { execFile } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { parse } from 'yaml'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { collect, DEV, startBridge, ticketsWithSubject, type Bridge } from './harness'

const run = promisify(execFile)
const example = (path: string) => join(PROJECT_ROOT, 'examples', path)
const WAIT = { timeout: 60_000, interval: 500 }

type GrafanaProvisioning = {
  contactPoints: { receivers: { type: string; settings: Record<string, string> }[] }[]
}

describe('the examples, sent to a running bridge as the README tells users to', () => {
  let bridge: Bridge
  const send = (command: string, args: string[]) =>
    run(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, BRIDGE_URL: bridge.url } })

  async function oneTicket(subject: string) {
    return vi.waitFor(async () => {
      const tickets = await ticketsWithSubject(bridge.sim.udesk, subject)
      if (tickets.length !== 1) throw new Error(`${tickets.length} tickets named ${subject}`)
      return tickets[0]!
    }, WAIT)
  }

  async function contentsOfReplies(ticketId: number): Promise<string> {
    const replies = await collect(bridge.sim.udesk.listReplies(ticketId))
    return replies.map((r) => r.content).join('\n')
  }

  beforeAll(async () => {
    bridge = await startBridge()
  })

  afterAll(async () => {
    await bridge?.stop()
  })

  for (const [name, command, prefix] of [
    ['webhook/send.sh', example('webhook/send.sh'), []],
    ['webhook/send.ts', join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [example('webhook/send.ts')]],
  ] as const) {
    it(`${name} opens, replies to and resolves a ticket`, async ({ expect }) => {
      const thread = `order-${name}`
      const subject = `Where is my order? (${name})`

      const opened = await send(command, [...prefix, 'open', thread, subject, 'Not here yet.'])
      const ticket = await oneTicket(subject)
      await send(command, [...prefix, 'reply', thread, 'Any news on it?'])
      await vi.waitFor(async () => {
        expect(await contentsOfReplies(ticket.id)).toContain('Any news on it?')
      }, WAIT)
      await send(command, [...prefix, 'resolve', thread, 'Arrived, thanks!'])

      expect(opened.stdout).toMatch(/^202 \{"status":"accepted","id":"[^"]+"\}/)
      await vi.waitFor(async () => {
        const current = await bridge.sim.udesk.getTicket({ id: ticket.id })
        expect(current.status_en).toBe('resolved')
      }, WAIT)
      expect(await contentsOfReplies(ticket.id)).toContain('Arrived, thanks!')
      expect(ticket.user_email).toBe('customer@example.com')
    })
  }

  it('slack/send-event.sh opens a ticket for a message and threads the reply given THREAD_TS into it', async ({
    expect,
  }) => {
    const first = await send(example('slack/send-event.sh'), ['Our dashboard shows no data'])
    const threadTs = /^export THREAD_TS=(\S+)$/m.exec(first.stdout)?.[1] ?? ''
    const ticket = await oneTicket('Our dashboard shows no data')

    await run(example('slack/send-event.sh'), ['Still empty after a reload'], {
      env: { ...process.env, BRIDGE_URL: bridge.url, THREAD_TS: threadTs },
    })

    expect(first.stdout).toMatch(/^202 /)
    await vi.waitFor(async () => {
      expect(await contentsOfReplies(ticket.id)).toContain('Still empty after a reload')
    }, WAIT)
  })

  it("slack/manifest.json's request URL passes Slack's url_verification", async ({ expect }) => {
    const manifest = JSON.parse(await readFile(example('slack/manifest.json'), 'utf8'))
    const path = new URL(manifest.settings.event_subscriptions.request_url).pathname
    const body = JSON.stringify({ token: 't', challenge: 'ch4llenge-42', type: 'url_verification' })
    const timestamp = Math.floor(Date.now() / 1000)
    const mac = createHmac('sha256', DEV.slackSigningSecret)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex')

    const response = await fetch(`${bridge.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': `v0=${mac}`,
      },
      body,
    })

    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ challenge: 'ch4llenge-42' })
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      'message.channels',
      'message.groups',
      'app_mention',
    ])
    expect(
      manifest.features.slash_commands.map((c: { url: string }) => new URL(c.url).pathname),
    ).toEqual([path])
  })

  it('grafana provisioning: its contact point settings authenticate a Grafana notification', async ({
    expect,
  }) => {
    const provisioning = parse(
      await readFile(example('grafana/provisioning/udesk-bridge.yaml'), 'utf8'),
    ) as GrafanaProvisioning
    const settings = provisioning.contactPoints[0]!.receivers[0]!.settings
    const notification = JSON.parse(
      await readFile(join(PROJECT_ROOT, 'test/fixtures/grafana/firing.json'), 'utf8'),
    )
    notification.groupKey = '{}:{team="examples"}'

    // What Grafana's webhook integration sends with these settings.
    const response = await fetch(settings.url!.replace('http://127.0.0.1:8787', bridge.url), {
      method: settings.httpMethod,
      headers: {
        'content-type': 'application/json',
        authorization: `${settings.authorization_scheme} ${settings.authorization_credentials}`,
      },
      body: JSON.stringify(notification),
    })

    expect(response.status).toBe(202)
    const ticket = await oneTicket('High memory usage')
    expect(ticket.content).toContain('This alert was triggered for zone us-1')
  })
})
