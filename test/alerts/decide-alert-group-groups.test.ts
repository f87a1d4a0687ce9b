import { describe, it } from 'vitest'
import type { AlertReport } from '../../src/alerts/merge-alert'
import { E, firing, kind, note, PEER_A, resolved, run, S } from './notifications'

describe('decideAlertGroup, groups of alerts', () => {
  it("keeps the ticket open while another cluster's alert still fires", ({ expect }) => {
    const staging = 'http://am-staging:9093'
    const prod = 'http://am-prod:9093'

    const { kinds, state } = run([
      firing('pod=a', S + 1_000, staging),
      firing('pod=b', S + 2_000, prod),
      resolved('pod=a', E + 1_000, staging),
    ])

    expect(kinds).toEqual(['createTicket', 'addNote', 'addNote'])
    expect(state.ticket.status).toBe('open')
    expect(run([resolved('pod=b', E + 5_000, prod)], state).kinds).toEqual([
      'addNote',
      'status:resolved',
    ])
  })

  it('opens with the highest severity among firing alerts and raises it when a worse one joins', ({
    expect,
  }) => {
    const warning = { id: 'w', status: 'firing' as const, startsAt: S, priority: 'high' as const }
    const info = { id: 'i', status: 'firing' as const, startsAt: S, priority: 'low' as const }
    const critical = { ...warning, id: 'c', priority: 'urgent' as const }
    const ended = (a: AlertReport): AlertReport => ({ ...a, status: 'resolved', endsAt: E })

    const { actions } = run([
      note([info, warning], S + 1_000, PEER_A),
      note([info, warning, critical], S + 2_000, PEER_A),
      note([info, ended(warning), ended(critical)], S + 3_000, PEER_A),
    ])

    expect(actions.map(kind)).toEqual(['createTicket', 'priority:urgent', 'addNote', 'addNote'])
    expect(actions[0]).toMatchObject({ priority: 'high' })
    expect(actions[2]).toMatchObject({ text: expect.stringMatching(/^Priority raised to urgent/) })
  })

  it('gives alerts of unknown severity the source default', ({ expect }) => {
    const n = { ...firing('F', S + 1_000), defaultPriority: 'medium' as const }

    const { actions } = run([n])

    expect(actions).toMatchObject([{ type: 'createTicket', priority: 'medium' }])
  })

  it('holds 10,000 alerts and resolves only when the last of them ends', ({ expect }) => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `fp${i}`)
    const all = ids.map((id) => ({ id, status: 'firing' as const, startsAt: S }))
    const ended = ids.map((id) => ({ id, status: 'resolved' as const, startsAt: S, endsAt: E }))

    const open = run([note(all, S + 1_000, PEER_A)])
    const most = run([note(ended.slice(1), E + 1_000, PEER_A)], open.state)
    const last = run([note(ended.slice(0, 1), E + 2_000, PEER_A)], most.state)

    expect(open.state.alerts.size).toBe(10_000)
    expect(open.kinds).toEqual(['createTicket'])
    expect(most.kinds).toEqual(['addNote'])
    expect(last.kinds).toEqual(['addNote', 'status:resolved'])
  })
})

describe("decideAlertGroup, Grafana's Test button", () => {
  it('opens a ticket that says it is a test and resolves it at once', ({ expect }) => {
    const test = { ...firing('T', S), test: true }

    const { actions, state } = run([test])

    expect(actions.map(kind)).toEqual(['createTicket', 'status:resolved'])
    expect(actions[0]).toMatchObject({
      content: expect.stringMatching(/^This is a test notification/),
    })
    expect(state.alerts.size).toBe(0)
  })

  it('opens nothing for a test sent as resolved', ({ expect }) => {
    const test = { ...resolved('T', S), test: true }

    expect(run([test]).kinds).toEqual([])
  })
})
