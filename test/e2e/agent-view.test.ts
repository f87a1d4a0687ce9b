import { createHmac } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, it, vi, type ExpectStatic } from 'vitest'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { DEV, startBridge, type Bridge, type SimulatorTicket } from './harness'

/**
 * Issue 9, "Text stays text": for every source kind, text full of markup and script goes
 * through the real worker into the simulator, and what Udesk stored is then rendered as HTML in
 * headless Chromium, as Udesk shows it to an agent. No dialog may open, no script run, and the
 * visible text must be what the sender wrote.
 */
const CHROMIUM = process.env.CHROMIUM_BIN ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run']
const WAIT = { timeout: 30_000, interval: 250 }

/** What a hostile (or merely technical) sender writes; `marker` finds its ticket. */
function hostileText(marker: string): string {
  return [
    `Case ${marker}: <b>bold?</b> & "quotes" 'too'`,
    `<script>alert('script')</script>`,
    `<img src=x onerror="alert('img')">`,
    `<svg onload="alert('svg')"></svg>`,
    `<a href="javascript:alert('link')">click me</a> javascript:alert(1)`,
    `From: Ada Lovelace <ada@example.com>`,
    `  indented   with  runs of spaces`,
  ].join('\n')
}

/** Slack sends what its user typed with `&`, `<`, `>` escaped. */
const slackEscaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

const fixture = async (path: string) =>
  JSON.parse(await readFile(join(PROJECT_ROOT, 'test/fixtures', path), 'utf8'))

describe('what an agent sees, rendered in headless Chromium', () => {
  let bridge: Bridge
  let browser: BrowserContext
  let profile: string

  beforeAll(async () => {
    bridge = await startBridge()
    profile = await mkdtemp(join(tmpdir(), 'udesk-bridge-agent-view-'))
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    })
  })

  afterAll(async () => {
    await browser?.close()
    await bridge?.stop()
    if (profile) await rm(profile, { recursive: true, force: true })
  })

  async function post(source: string, body: string, headers: Record<string, string>) {
    const response = await fetch(`${bridge.url}/webhooks/${source}`, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
    })
    return response.status
  }

  async function ticketWith(marker: string): Promise<SimulatorTicket> {
    return vi.waitFor(async () => {
      const { tickets } = await bridge.sim.control.state()
      const mine = tickets.filter((t) => t.content?.includes(marker))
      if (mine.length !== 1) throw new Error(`${mine.length} tickets with ${marker}`)
      return mine[0]!
    }, WAIT)
  }

  /** Renders stored content as a page of its own and reports what happened and what shows. */
  async function render(content: string) {
    const page = await browser.newPage()
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await page.setContent(`<!doctype html><meta charset="utf-8"><body>${content}</body>`)
    await page.waitForTimeout(200)
    const seen = await page.evaluate(() => ({
      text: document.body.innerText.replaceAll('\u00a0', ' '),
      active: document.querySelectorAll(
        'script, img, svg, iframe, object, embed, [onerror], [onload]',
      ).length,
      links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    }))
    await page.close()
    return { dialogs, ...seen }
  }

  async function expectInert(expect: ExpectStatic, content: string, written: string) {
    const seen = await render(content)
    expect(seen.dialogs).toEqual([])
    expect(seen.active).toBe(0)
    expect(
      seen.links.every(
        (href) =>
          href?.startsWith('https:') || href?.startsWith('http:') || href?.startsWith('mailto:'),
      ),
    ).toBe(true)
    expect(seen.text).toContain(written)
  }

  const marker = (kind: string) => `${kind}-${crypto.randomUUID().slice(0, 8)}`

  it('form: the message, the name and the From line read as written', async ({ expect }) => {
    const id = marker('form')
    const text = hostileText(id)
    const name = 'Ada <b onmouseover=alert(1)>X</b>'
    const body = JSON.stringify({ email: 'ada.view@example.com', name, message: text })

    const status = await post('contact', body, { 'content-type': 'application/json' })

    expect(status).toBe(202)
    const ticket = await ticketWith(id)
    await expectInert(expect, ticket.content!, text)
    await expectInert(expect, ticket.content!, `From: ${name} <ada.view@example.com>`)
  })

  it('slack: a message and a reply in its thread read as the Slack user typed them', async ({
    expect,
  }) => {
    const id = marker('slack')
    const text = hostileText(id)
    const message = await fixture('slack/message.json')
    const ts = `1700000300.${Date.now() % 1_000_000}`
    const top = { ...message, event: { ...message.event, ts, text: slackEscaped(text) } }
    const reply = {
      ...message,
      event_id: 'EvAgentViewReply',
      event: { ...top.event, ts: `${ts}1`, thread_ts: ts, text: slackEscaped(`re ${text}`) },
    }

    const statuses = [await postSlack(top)]
    const ticket = await ticketWith(id)
    statuses.push(await postSlack(reply))

    expect(statuses).toEqual([202, 202])
    expect(ticket.subject).not.toMatch(/[<>]/)
    await expectInert(expect, ticket.content!, text)
    const replied = await vi.waitFor(async () => {
      const { tickets } = await bridge.sim.control.state()
      const [found] = tickets.find((t) => t.id === ticket.id)?.replies ?? []
      if (!found) throw new Error('no reply yet')
      return found
    }, WAIT)
    await expectInert(expect, replied.content, `re ${text}`)
  })

  it('alertmanager: an annotation reads as written', async ({ expect }) => {
    const id = marker('alertmanager')
    const text = hostileText(id)
    const firing = await fixture('alertmanager/firing.json')
    const alerts = firing.alerts.map((a: { annotations: object }) => ({
      ...a,
      annotations: { ...a.annotations, description: text },
    }))
    const body = JSON.stringify({ ...firing, groupKey: `{}:{agent-view=\"${id}\"}`, alerts })

    const status = await post('alertmanager', body, bearer(DEV.alertmanagerToken))

    expect(status).toBe(202)
    const ticket = await ticketWith(id)
    await expectInert(expect, ticket.content!, text)
  })

  it('grafana: an annotation reads as written', async ({ expect }) => {
    const id = marker('grafana')
    const text = hostileText(id)
    const firing = await fixture('grafana/firing.json')
    const alerts = firing.alerts.map((a: { annotations: object }) => ({
      ...a,
      annotations: { ...a.annotations, summary: text },
    }))
    const body = JSON.stringify({ ...firing, groupKey: `{}:{agent-view="${id}"}`, alerts })

    const status = await post('grafana', body, bearer(DEV.grafanaToken))

    expect(status).toBe(202)
    const ticket = await ticketWith(id)
    expect(ticket.subject).not.toMatch(/[<>]/)
    await expectInert(expect, ticket.content!, text)
  })

  it('webhook: ticket.open and ticket.reply read as written, the subject carries no markup', async ({
    expect,
  }) => {
    const id = marker('webhook')
    const text = hostileText(id)
    const thread = `agent-view-${id}`
    const open = {
      type: 'ticket.open',
      thread,
      subject: `<img src=x onerror="alert('subject')"> ${id}`,
      content: text,
      customer: { email: `${id}@example.com`, name: `<script>alert('name')</script>` },
    }

    const statuses = [await postWebhook(open)]
    const ticket = await ticketWith(id)
    statuses.push(await postWebhook({ type: 'ticket.reply', thread, content: `re ${text}` }))

    expect(statuses).toEqual([202, 202])
    expect(ticket.subject).not.toMatch(/[<>]/)
    await expectInert(expect, ticket.content!, text)
    const replied = await vi.waitFor(async () => {
      const { tickets } = await bridge.sim.control.state()
      const [found] = tickets.find((t) => t.id === ticket.id)?.replies ?? []
      if (!found) throw new Error('no reply yet')
      return found
    }, WAIT)
    await expectInert(expect, replied.content, `re ${text}`)
  })

  const bearer = (token: string) => ({
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  })

  async function postSlack(payload: unknown) {
    const body = JSON.stringify(payload)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const mac = createHmac('sha256', DEV.slackSigningSecret).update(`v0:${timestamp}:${body}`)
    return post('slack', body, {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${mac.digest('hex')}`,
    })
  }

  async function postWebhook(payload: unknown) {
    const body = JSON.stringify(payload)
    const id = `msg_${crypto.randomUUID()}`
    const timestamp = String(Math.floor(Date.now() / 1000))
    const key = Buffer.from(DEV.eventsWebhookSecret.replace(/^whsec_/, ''), 'base64')
    const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
    return post('events', body, {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${mac}`,
    })
  }
})
