import { join } from 'node:path'
import { unstable_readConfig } from 'wrangler'
import { afterAll, beforeAll, describe, it, vi } from 'vitest'
import {
  exampleConfig,
  startAlertmanager,
  type Alert,
  type Alertmanager,
} from './alertmanager-process'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'
import { collect, DEV, startBridge, ticketsWithSubject, type Bridge } from './harness'

const WAIT = { timeout: 60_000, interval: 500 }
const SENT = 'alertmanager_notifications_total'
const FAILED = 'alertmanager_notifications_failed_total'

function diskAlert(instance: string, startsAt: string, endsAt?: string): Alert {
  return {
    labels: { alertname: 'DiskAlmostFull', service: 'postgres', severity: 'critical', instance },
    annotations: { summary: 'Disk almost full' },
    startsAt,
    ...(endsAt && { endsAt }),
  }
}

describe('the real Alertmanager, configured from examples/alertmanager', () => {
  let bridge: Bridge
  let alertmanager: Alertmanager

  beforeAll(async () => {
    bridge = await startBridge()
    alertmanager = await startAlertmanager(await exampleConfig(bridge.url))
  })

  afterAll(async () => {
    await alertmanager?.stop()
    await bridge?.stop()
  })

  it('opens exactly one ticket for a firing group, then resolves it with the group', async ({
    expect,
  }) => {
    const udesk = bridge.sim.udesk
    const startsAt = new Date(Date.now() - 60_000).toISOString()

    await alertmanager.pushAlerts([diskAlert('db-1', startsAt), diskAlert('db-2', startsAt)])

    const opened = await vi.waitFor(async () => {
      const tickets = await ticketsWithSubject(udesk, 'DiskAlmostFull')
      expect(tickets).toHaveLength(1)
      return tickets[0]!
    }, WAIT)
    expect(await alertmanager.webhookMetric(SENT)).toBeGreaterThanOrEqual(1)
    expect(await alertmanager.webhookMetric(FAILED)).toBe(0)
    // Alertmanager's own notification: its receiver name and its group key are in the ticket.
    expect(opened.content).toContain('udesk')
    // Stored as HTML: the group key's quotes arrive escaped.
    expect(opened.content).toContain('alertname=&quot;DiskAlmostFull&quot;')
    expect(opened.content).toContain('db-1')
    expect(opened.content).toContain('db-2')
    expect(opened.priority).toBe('紧急')
    expect(opened.status_en).toBe('open')

    // A third alert joins the group: Alertmanager notifies again, the ticket stays the one.
    const sentBefore = await alertmanager.webhookMetric(SENT)
    await alertmanager.pushAlerts([diskAlert('db-3', startsAt)])
    await vi.waitFor(async () => {
      expect(await alertmanager.webhookMetric(SENT)).toBeGreaterThan(sentBefore)
      const notes = await collect(udesk.listReplies(opened.id))
      expect(notes.map((n) => n.content).join('\n')).toContain('db-3')
    }, WAIT)
    expect(await ticketsWithSubject(udesk, 'DiskAlmostFull')).toHaveLength(1)

    const endsAt = new Date(Date.now() - 1000).toISOString()
    await alertmanager.pushAlerts(
      ['db-1', 'db-2', 'db-3'].map((instance) => diskAlert(instance, startsAt, endsAt)),
    )

    await vi.waitFor(async () => {
      const ticket = await udesk.getTicket({ id: opened.id })
      expect(ticket.status_en).toBe('resolved')
    }, WAIT)
    expect(await ticketsWithSubject(udesk, 'DiskAlmostFull')).toHaveLength(1)
    expect(await alertmanager.webhookMetric(FAILED)).toBe(0)
  })
})

/**
 * wrangler.toml's sources plus one that takes `Authorization: Token <secret>`, so Alertmanager's
 * `authorization` block with a scheme of its own is tested as users configure it.
 */
const SOURCES = JSON.stringify({
  ...(unstable_readConfig({ config: join(PROJECT_ROOT, 'wrangler.toml') }).vars.SOURCES as object),
  'alertmanager-token': {
    kind: 'alertmanager',
    secret: 'ALERTMANAGER_TOKEN',
    auth: { type: 'authorization', scheme: 'Token' },
  },
})

const HTTP_CONFIGS = [
  {
    mode: 'basic_auth',
    source: 'alertmanager',
    http_config: { basic_auth: { username: 'alertmanager', password: DEV.alertmanagerToken } },
  },
  {
    mode: 'an authorization block with its own scheme',
    source: 'alertmanager-token',
    http_config: { authorization: { type: 'Token', credentials: DEV.alertmanagerToken } },
  },
]

describe.each(HTTP_CONFIGS)('the real Alertmanager with $mode', ({ mode, source, http_config }) => {
  let bridge: Bridge
  let alertmanager: Alertmanager

  beforeAll(async () => {
    bridge = await startBridge({ bindings: { SOURCES } })
    const config = await exampleConfig(bridge.url)
    for (const receiver of config.receivers) {
      for (const webhook of receiver.webhook_configs ?? []) {
        webhook.url = webhook.url.replace('/webhooks/alertmanager', `/webhooks/${source}`)
        webhook.http_config = http_config
      }
    }
    alertmanager = await startAlertmanager(config)
  })

  afterAll(async () => {
    await alertmanager?.stop()
    await bridge?.stop()
  })

  it('reopens the ticket when the alert fires again with the same startsAt after its resolve', async ({
    expect,
  }) => {
    const udesk = bridge.sim.udesk
    const name = mode.startsWith('basic') ? 'BasicAuthDisk' : 'TokenAuthDisk'
    const alert = (endsAt?: string) => ({
      ...diskAlert('db-1', startsAt, endsAt),
      labels: { ...diskAlert('db-1', startsAt).labels, alertname: name },
    })
    const startsAt = new Date(Date.now() - 60_000).toISOString()

    await alertmanager.pushAlerts([alert()])
    const opened = await vi.waitFor(async () => {
      const tickets = await ticketsWithSubject(udesk, name)
      expect(tickets).toHaveLength(1)
      return tickets[0]!
    }, WAIT)
    await alertmanager.pushAlerts([alert(new Date(Date.now() - 1000).toISOString())])
    await vi.waitFor(async () => {
      expect((await udesk.getTicket({ id: opened.id })).status_en).toBe('resolved')
    }, WAIT)

    await alertmanager.pushAlerts([alert()])

    await vi.waitFor(async () => {
      expect((await udesk.getTicket({ id: opened.id })).status_en).toBe('open')
      const notes = await collect(udesk.listReplies(opened.id))
      expect(notes.map((n) => n.content).join('\n')).toContain('Reopened: 1 alert firing again.')
    }, WAIT)
    expect(await ticketsWithSubject(udesk, name)).toHaveLength(1)
    expect(await alertmanager.webhookMetric(FAILED)).toBe(0)
  })
})
