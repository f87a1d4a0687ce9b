import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { PROJECT_ROOT } from '../scripts/wrangler-dev'
import { DEV, startBridge } from '../test/e2e/harness'

/** Issue 12's budget: 1,000 alerts in 10 groups over several notifications, at most 30 calls. */
export const STORM = { groups: 10, alertsPerGroup: 100, notifications: 3, callLimit: 30 }

const firing = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test/fixtures/alertmanager/firing.json'), 'utf8'),
) as { alerts: Record<string, unknown>[]; [field: string]: unknown }

/**
 * Alertmanager's notifications of a growing storm: each group's n-th notification carries its
 * first n/3 of the alerts (the whole group so far, as Alertmanager sends it).
 */
function notification(run: string, group: number, upTo: number) {
  const [template] = firing.alerts
  const name = `Storm-${run}-${group}`
  const alerts = Array.from({ length: upTo }, (_, i) => ({
    ...template,
    labels: { alertname: name, instance: `host-${i}:9100`, severity: 'critical' },
    fingerprint: `${group.toString(16).padStart(4, '0')}${i.toString(16).padStart(12, '0')}`,
  }))
  const labels = { alertname: name }
  return {
    ...firing,
    groupKey: `{}:{alertname="${name}"}`,
    groupLabels: labels,
    commonLabels: labels,
    alerts,
  }
}

/** Sends the storm through a bridge of its own and counts the simulator's Udesk calls. */
export async function measureAlertStorm(): Promise<{ tickets: number; calls: number }> {
  const bridge = await startBridge({ bindings: { UDESK_MAX_REQUESTS_PER_MINUTE: '100000' } })
  try {
    const run = Date.now().toString(36)
    for (let n = 1; n <= STORM.notifications; n++) {
      const upTo = Math.ceil((STORM.alertsPerGroup * n) / STORM.notifications)
      for (let group = 0; group < STORM.groups; group++) {
        const response = await fetch(`${bridge.url}/webhooks/alertmanager`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${DEV.alertmanagerToken}`,
          },
          body: JSON.stringify(notification(run, group, upTo)),
        })
        if (response.status !== 202) throw new Error(`storm notification: HTTP ${response.status}`)
      }
      await settled(bridge.sim.control)
    }
    const state = await bridge.sim.control.state()
    const calls = await bridge.sim.control.calls()
    return { tickets: state.tickets.length, calls: calls.length }
  } finally {
    await bridge.stop()
  }
}

/** Until the simulator's call log has not grown for two seconds. */
async function settled(control: { calls: () => Promise<unknown[]> }): Promise<void> {
  let last = -1
  for (let still = 0; still < 4;) {
    await delay(500)
    const count = (await control.calls()).length
    still = count === last ? still + 1 : 0
    last = count
  }
}
