import { afterEach, describe, it, vi } from 'vitest'
import custom from '../fixtures/grafana/custom-payload.json'
import nulls from '../fixtures/grafana/firing-nulls.json'
import legacy from '../fixtures/grafana/legacy-alerting.json'
import testNotification from '../fixtures/grafana/test-notification.json'
import { bearerRequest, DEV_SECRETS } from '../helpers/signed-request'
import { deliver } from '../delivery/sim'
import { noteHeads, send, settledTicket, ticketsMentioning } from './alert-tickets'
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Issue 12's Grafana examples, through the worker to the simulator. */
const grafana = (payload: unknown) => bearerRequest('grafana', payload, DEV_SECRETS.grafana)
const unique = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}`

/** Grafana's Test button payload on a group key of the test's own. */
function testButton(status: 'firing' | 'resolved') {
  const groupKey = unique('test-57c6d9296de2ad39')
  const alerts = testNotification.alerts.map((a) => ({
    ...a,
    status,
    ...(status === 'resolved' && { endsAt: '2024-06-03T08:16:42Z' }),
  }))
  return { groupKey, payload: { ...testNotification, groupKey, status, alerts } }
}

describe('issue 12: Grafana notifications', { timeout: 40_000 }, () => {
  it('answers the Test button 2xx and leaves a resolved ticket tagged test that says so', async ({
    expect,
  }) => {
    const { groupKey, payload } = testButton('firing')

    const response = await send(grafana(payload))

    expect(response).toMatchObject({ status: 202, body: { status: 'accepted' } })
    const ticket = await settledTicket(groupKey, (t) => expect(t.status_en).toBe('resolved'))
    expect(ticket.content).toMatch(/^This is a test notification: nothing is wrong\./)
    expect(ticket.tags.split(',')).toEqual(expect.arrayContaining(['grafana', 'test']))
  })

  it('opens nothing for a Test button notification sent as resolved', async ({ expect }) => {
    const { groupKey, payload } = testButton('resolved')

    const queue = watchQueue()

    const response = await send(grafana(payload))

    expect(response.status).toBe(202)
    const [message] = queue.messages()
    const [outcome] = await deliver(message!.event.thread, message!.event)
    expect(['applied', 'duplicate']).toContain(outcome?.outcome)
    expect(await ticketsMentioning(groupKey)).toEqual([])
  })

  it('takes every field Grafana sends as null as absent', async ({ expect }) => {
    const groupKey = `${nulls.groupKey}-${unique('run')}`

    const response = await send(grafana({ ...nulls, groupKey }))

    expect(response.status).toBe(202)
    const ticket = await settledTicket(groupKey, (t) => expect(t.status_en).toBe('open'))
    expect(ticket.priority).toBe('高')
    expect(ticket.content).not.toContain('null')
  })

  it('refuses a custom payload template with 400 saying the default payload is needed', async ({
    expect,
  }) => {
    const response = await send(grafana(custom))

    expect(response).toMatchObject({
      status: 400,
      body: {
        error: 'invalid_payload',
        issues: [{ message: expect.stringMatching(/needs Grafana's default webhook payload/) }],
      },
    })
  })
})

describe('issue 12: Grafana legacy alerting', { timeout: 40_000 }, () => {
  const rule = (state: string, ruleId: number, ruleName: string) => ({
    ...legacy,
    state,
    ruleId,
    ruleName,
  })

  it('opens on alerting, resolves on ok, and reopens with a missing-data note on no_data', async ({
    expect,
  }) => {
    const id = Math.floor(Math.random() * 1e9)
    const name = unique('Panel Title alert')
    await send(grafana(rule('alerting', id, name)))
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    await send(grafana(rule('ok', id, name)))
    await settledTicket(name, (t) => expect(t.status_en).toBe('resolved'))

    const noData = await send(grafana(rule('no_data', id, name)))

    expect(noData.status).toBe(202)
    // The reopen is a status change and a note: wait for both, not for the status alone.
    const ticket = await settledTicket(name, (t) => {
      expect(t.status_en).toBe('open')
      expect(noteHeads(t)).toEqual([
        'Resolved: every alert of the group has ended.',
        'Reopened: 1 alert firing again.',
      ])
    })
    expect(ticket.replies.at(-1)?.content).toContain('No data: the rule got no data')
  })

  it('adds nothing for a paused rule', async ({ expect }) => {
    const name = unique('Paused rule')

    const response = await send(grafana(rule('paused', 7, name)))

    expect(response).toEqual({ status: 200, body: { status: 'ignored' } })
  })
})
