/**
 * The README followed literally on a fresh `npm start` whose ports are moved: every Quick start
 * and Sources command is run as pasted, after the export lines the banner (and the Slack
 * example) printed; then the simulator must hold what the README promises. The inbox it shows
 * is the README's screenshot (`UPDATE_README_SCREENSHOT=1` writes docs/inbox.png).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import { parse } from 'yaml'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { withBrowser } from './browser'
import { freePort, simulatorControl, type SimulatorTicket } from './harness'
import {
  bannerRow,
  exportsIn,
  npmStart,
  runPasted,
  shellCommands,
  signalGroup,
  untilRunning,
  type NpmStart,
} from './npm-start'

const WAIT = { timeout: 150_000, interval: 500 }
/** Commands that need a program of their own running (Alertmanager); alertmanager.test.ts. */
const NEEDS_ALERTMANAGER = /prometheus-alertmanager|127\.0\.0\.1:9093/

function section(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README has no "${heading}"`)
  const end = readme.indexOf('\n## ', start + heading.length + 2)
  return readme.slice(start, end < 0 ? undefined : end)
}

describe('the README, followed literally with BRIDGE_PORT and SIM_PORT moved', () => {
  let started: NpmStart
  let banner = ''
  let pasted: Record<string, string> = {}
  const scratch = mkdtemp(join(tmpdir(), 'udesk-bridge-readme-'))

  const tickets = async () =>
    (await simulatorControl(`${pasted.SIM_URL}/_sim`).state()).tickets as SimulatorTicket[]
  const named = async (subject: string) => (await tickets()).filter((t) => t.subject === subject)
  const untilTicket = (text: string) =>
    vi.waitFor(async () => {
      if (!(await tickets()).some((t) => t.subject?.includes(text))) throw new Error(text)
    }, WAIT)

  let readme = ''

  beforeAll(async () => {
    readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8')
    const [bridgePort, simPort, inspectorPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ]
    started = npmStart({
      BRIDGE_PORT: String(bridgePort),
      SIM_PORT: String(simPort),
      BRIDGE_INSPECTOR_PORT: String(inspectorPort),
    })
    banner = await untilRunning(started)
    pasted = exportsIn(banner.slice(banner.indexOf('udesk-bridge is running')))
  })

  afterAll(async () => {
    signalGroup(started, 'SIGTERM')
    await started?.exited
    await rm(await scratch, { recursive: true, force: true })
  })

  it('prints export lines for the ports it really runs on', ({ expect }) => {
    expect(pasted).toEqual({
      BRIDGE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      SIM_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    })
    expect(pasted.BRIDGE_URL).not.toContain(':8787')
    expect(bannerRow(banner, 'bridge')).toBe(`${pasted.BRIDGE_URL}/webhooks/:source`)
    expect(bannerRow(banner, 'simulator inbox')).toBe(`${pasted.SIM_URL}/`)
  })

  /** Runs `commands` as a user pastes them, each after the export lines printed before it. */
  async function paste(commands: string[]): Promise<string[]> {
    const answers: string[] = []
    for (const command of commands) {
      // The README: "Once the InstanceDown alert's ticket is in the inbox", resolve it.
      if (command.includes('alertmanager/resolved.json')) await untilTicket('InstanceDown')
      // What `unset` does to the user's shell, which outlives each command.
      for (const name of /^unset (\w+)/.exec(command)?.slice(1) ?? []) delete pasted[name]
      const { stdout } = await runPasted(command, pasted)
      answers.push(`${command}\n  -> ${stdout.trim()}`)
      pasted = { ...pasted, ...exportsIn(stdout) }
    }
    return answers
  }

  it(
    'runs every Quick start command as pasted; the inbox then shows what the README promises',
    {
      timeout: 300_000,
    },
    async ({ expect }) => {
      const commands = shellCommands(section(readme, '## Quick start'))

      const answers = await paste(commands.filter((c) => !/\bnpm (install|start)\b/.test(c)))

      await vi.waitFor(async () => {
        const [order] = await named('Where is my order?')
        expect(order?.status_en, answers.join('\n')).toBe('resolved')
        expect(order?.replies?.map((r) => r.content).join('\n')).toContain('Any news?')
        expect(await named('Refund request')).toHaveLength(1)
        const [slack, ...more] = await named('Our dashboard shows no data')
        expect(more).toEqual([])
        expect(slack?.replies?.map((r) => r.content).join()).toContain('Still empty after a reload')
        const all = await tickets()
        expect(all.filter((t) => t.content?.includes('Hello from the form'))).toHaveLength(1)
        const [alert, ...again] = all.filter((t) => t.subject?.includes('InstanceDown'))
        expect(again).toEqual([])
        expect(alert?.status_en).toBe('resolved')
        expect(all.filter((t) => t.subject?.includes('High memory usage'))).toHaveLength(1)
        expect(all).toHaveLength(6)
      }, WAIT)
      await withBrowser({ viewport: { width: 1100, height: 760 } }, async (browser) => {
        const page = await browser.newPage()
        await page.goto(`${pasted.SIM_URL}/`)
        const shot = process.env.UPDATE_README_SCREENSHOT
          ? join(PROJECT_ROOT, 'docs/inbox.png')
          : join(await scratch, 'inbox.png')
        const png = await page.screenshot({ path: shot })
        expect(png.subarray(1, 4).toString()).toBe('PNG')
      })
    },
  )

  it(
    'runs every Sources command as pasted, but those that need Alertmanager running',
    {
      timeout: 300_000,
    },
    async ({ expect }) => {
      const commands = shellCommands(section(readme, '## Sources'))
      const skipped = commands.filter((c) => NEEDS_ALERTMANAGER.test(c))

      await paste(commands.filter((c) => !skipped.includes(c)))

      expect(skipped).toHaveLength(2)
      await vi.waitFor(async () => {
        const slack = await named('Our dashboard shows no data')
        expect(slack).toHaveLength(2)
        const replies = slack.flatMap((t) => t.replies ?? []).map((r) => r.content)
        expect(replies.filter((r) => r.includes('Still empty after a reload'))).toHaveLength(2)
        const all = await tickets()
        expect(all.filter((t) => t.content?.includes('ada@example.com'))).toHaveLength(2)
        expect(all.filter((t) => t.subject?.includes('High memory usage'))).toHaveLength(1)
      }, WAIT)
    },
  )

  it('writes the Alertmanager and Grafana examples for the bridge it runs, and they authenticate', async ({
    expect,
  }) => {
    const alertmanager = parse(await readFile(bannerRow(banner, 'Alertmanager'), 'utf8'))
    const grafana = parse(await readFile(bannerRow(banner, 'Grafana'), 'utf8'))
    const webhook = alertmanager.receivers[0].webhook_configs[0]
    const contact = grafana.contactPoints[0].receivers[0].settings
    const notification = JSON.parse(
      await readFile(join(PROJECT_ROOT, 'test/fixtures/alertmanager/firing.json'), 'utf8'),
    )
    notification.groupKey = '{}:{alertname="ConfiguredCopy"}'

    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `${webhook.http_config.authorization.type} ${webhook.http_config.authorization.credentials}`,
      },
      body: JSON.stringify(notification),
    })

    expect(webhook.url).toBe(`${pasted.BRIDGE_URL}/webhooks/alertmanager`)
    expect(contact.url).toBe(`${pasted.BRIDGE_URL}/webhooks/grafana`)
    expect(response.status).toBe(202)
  })

  it('writes the contact form for the bridge it runs: a browser posting it lands on the thank-you page', async ({
    expect,
  }) => {
    const formUrl = bannerRow(banner, 'contact form')
    await withBrowser({ javaScriptEnabled: false }, async (browser) => {
      const page = await browser.newPage()
      await page.goto(formUrl)
      await page.getByLabel('Name').fill('Lin Wei')
      await page.getByLabel('Email').fill('lin.wei@example.com')
      await page.getByLabel('Message').fill('Sent from the configured copy.')
      await page.getByRole('button', { name: 'Send message' }).click()

      await page.waitForURL((url) => url.href.startsWith(pasted.BRIDGE_URL!))
      expect(await page.locator('body').innerText()).toMatch(/thank/i)
      expect(await readFile(fileURLToPath(formUrl), 'utf8')).toContain(
        `action="${pasted.BRIDGE_URL}/webhooks/contact"`,
      )
    })
    await vi.waitFor(async () => {
      const mine = (await tickets()).filter((t) => t.content?.includes('lin.wei@example.com'))
      expect(mine).toHaveLength(1)
    }, WAIT)
  })

  it('shows every ticket in the inbox list, readable in English', async ({ expect }) => {
    const count = (await tickets()).length

    await withBrowser({}, async (browser) => {
      const page = await browser.newPage()
      await page.goto(`${pasted.SIM_URL}/`)

      const rows = page.getByRole('table', { name: 'Tickets, newest first' }).locator('tbody tr')
      expect(await rows.count()).toBe(count)
      expect(await page.getByRole('table').innerText()).toContain('resolved (已解决)')
    })
  })
})
