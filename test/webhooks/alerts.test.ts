import { exports } from 'cloudflare:workers'
import { afterEach, describe, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import resolved from '../fixtures/alertmanager/resolved.json'
import grafanaFiring from '../fixtures/grafana/firing.json'
import { bearerRequest, DEV_SECRETS } from '../helpers/signed-request'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/** The documented payload on this test's own alert group. */
function group<T extends { groupKey: string }>(payload: T, groupKey: string): T {
  return { ...payload, groupKey }
}
const uniqueKey = () => `{}:{alertname="InstanceDown", run="${crypto.randomUUID()}"}`

describe('POST /webhooks/alertmanager', () => {
  it('queues one alert event per notification, keyed by receiver and group', async ({ expect }) => {
    const queue = watchQueue()
    const key = uniqueKey()

    const response = await exports.default.fetch(
      bearerRequest('alertmanager', group(firing, key), DEV_SECRETS.alertmanager),
    )

    const body = (await response.json()) as { status: string; id: string }
    expect(response.status).toBe(202)
    expect(body).toEqual({
      status: 'accepted',
      id: expect.stringMatching(/^[0-9a-f]{20}-[0-9a-z]+$/),
    })
    expect(queue.messages()).toMatchObject([
      {
        deliveryId: body.id,
        event: {
          id: `alertmanager:${body.id}:0`,
          type: 'alert',
          status: 'firing',
          thread: `udesk:${key}`,
          subject: 'InstanceDown',
          alerts: [{ priority: 'urgent' }, { priority: 'urgent' }],
        },
      },
    ])
  })

  it('answers a repeat notification of the same alerts as a duplicate', async ({ expect }) => {
    const payload = group(firing, uniqueKey())
    await exports.default.fetch(bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager))
    const queue = watchQueue()

    const repeat = await exports.default.fetch(
      bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager),
    )

    expect(repeat.status).toBe(200)
    expect(await repeat.json()).toEqual({ status: 'duplicate' })
    // Queued all the same (its thread makes an exact repeat a no-op), never counted accepted.
    expect(queue.messages()).toEqual([expect.objectContaining({ repeat: true })])
    expect(queue.sent()).toEqual([expect.not.objectContaining({ remember: expect.anything() })])
  })

  it('accepts the resolution of a group as a new delivery', async ({ expect }) => {
    const key = uniqueKey()
    await exports.default.fetch(
      bearerRequest('alertmanager', group(firing, key), DEV_SECRETS.alertmanager),
    )
    const queue = watchQueue()

    const response = await exports.default.fetch(
      bearerRequest('alertmanager', group(resolved, key), DEV_SECRETS.alertmanager),
    )

    expect(response.status).toBe(202)
    expect(queue.messages()).toMatchObject([
      { event: { type: 'alert', status: 'resolved', thread: `udesk:${key}` } },
    ])
  })

  it("refuses a missing token, a wrong one and another source's with 401", async ({ expect }) => {
    const queue = watchQueue()
    const payload = group(firing, uniqueKey())

    for (const token of [null, 'wrong-token', DEV_SECRETS.grafana]) {
      const response = await exports.default.fetch(bearerRequest('alertmanager', payload, token))

      expect(response.status).toBe(401)
      expect(await response.json()).toMatchObject({ error: 'unauthorized' })
    }
    expect(queue.messages()).toEqual([])
  })

  it('refuses another payload version with 400 and the offending path', async ({ expect }) => {
    const payload = { ...group(firing, uniqueKey()), version: '3' }

    const response = await exports.default.fetch(
      bearerRequest('alertmanager', payload, DEV_SECRETS.alertmanager),
    )

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: 'invalid_payload',
      issues: [{ path: ['version'] }],
    })
  })
})

describe('POST /webhooks/grafana', () => {
  it("queues Grafana's documented example as one alert event keyed by orgId and groupKey", async ({
    expect,
  }) => {
    const queue = watchQueue()
    const key = `{}/{__grafana_receiver__="${crypto.randomUUID()}"}:{}`

    const response = await exports.default.fetch(
      bearerRequest('grafana', group(grafanaFiring, key), DEV_SECRETS.grafana),
    )

    expect(response.status).toBe(202)
    expect(queue.messages()).toMatchObject([
      { event: { source: 'grafana', type: 'alert', status: 'firing', thread: `1:${key}` } },
    ])
  })

  it("refuses Alertmanager's token", async ({ expect }) => {
    const response = await exports.default.fetch(
      bearerRequest('grafana', grafanaFiring, DEV_SECRETS.alertmanager),
    )

    expect(response.status).toBe(401)
  })
})
