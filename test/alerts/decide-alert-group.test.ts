import { describe, it } from 'vitest'
import {
  decideAlertGroup,
  type AlertAction,
  type AlertGroupState,
  type AlertNotification,
} from '../../src/alerts/decide-alert-group'
import type { AlertReport } from '../../src/alerts/merge-alert'

const S = Date.UTC(2024, 4, 14, 9, 21) // the alert's startsAt
const E = S + 10 * 60_000 // its endsAt
const PEER_A = 'http://am-0:9093'
const PEER_B = 'http://am-1:9093'

const empty = (): AlertGroupState => ({ alerts: new Map(), ticket: { opened: false } })

function firing(id: string, at: number, sender = PEER_A, extra: Partial<AlertReport> = {}) {
  return note([{ id, status: 'firing', startsAt: S, ...extra }], at, sender)
}
function resolved(id: string, at: number, sender = PEER_A, endsAt = E) {
  return note([{ id, status: 'resolved', startsAt: S, endsAt }], at, sender)
}
function note(alerts: AlertReport[], receivedAt: number, sender: string): AlertNotification {
  return { alerts, receivedAt, sender, haWindowMs: 60_000, content: `${sender} at ${receivedAt}` }
}

/** Feeds the notifications in order, as the thread's coordinator does; all actions in order. */
function run(notifications: AlertNotification[], state = empty()) {
  const actions: AlertAction[] = []
  for (const n of notifications) {
    const decided = decideAlertGroup(state, n, n.receivedAt)
    state = decided.state
    actions.push(...decided.actions)
  }
  return { state, actions, kinds: actions.map(kind) }
}
const kind = (a: AlertAction) =>
  a.type === 'setStatus'
    ? `status:${a.status}`
    : a.type === 'setPriority'
      ? `priority:${a.priority}`
      : a.type

describe('decideAlertGroup, one alert in every order', () => {
  it('in order: firing opens, resolved notes and resolves', ({ expect }) => {
    const { kinds, state } = run([firing('F', E - 60_000), resolved('F', E + 1_000)])

    expect(kinds).toEqual(['createTicket', 'addNote', 'status:resolved'])
    expect(state.ticket.status).toBe('resolved')
  })

  it('reversed: a resolved first opens nothing, and its firing afterwards from a peer neither', ({
    expect,
  }) => {
    const { kinds } = run([resolved('F', E + 1_000, PEER_A), firing('F', E + 3_000, PEER_B)])

    expect(kinds).toEqual([])
  })

  it('reversed in the bridge: a firing received before the recorded end is stale', ({ expect }) => {
    const first = run([firing('F', E - 60_000), resolved('F', E + 5_000)])

    const late = run([firing('F', E + 4_000, PEER_A)], first.state)

    expect(late.kinds).toEqual([])
  })

  it('duplicated: repeats of the firing and of the resolved add nothing', ({ expect }) => {
    const at = E - 60_000

    const { kinds } = run([
      firing('F', at),
      firing('F', at),
      firing('F', at + 1),
      resolved('F', E + 1_000),
      resolved('F', E + 1_000),
      resolved('F', E + 2_000),
    ])

    expect(kinds).toEqual(['createTicket', 'addNote', 'status:resolved'])
  })

  it('two HA peers: the stale firing of the peer that missed the resolve leaves it resolved', ({
    expect,
  }) => {
    const { kinds, state } = run([
      firing('F', E - 60_000, PEER_A),
      firing('F', E - 59_000, PEER_B),
      resolved('F', E + 1_000, PEER_A),
      firing('F', E + 15_000, PEER_B),
      resolved('F', E + 16_000, PEER_B),
    ])

    expect(kinds).toEqual(['createTicket', 'addNote', 'status:resolved'])
    expect(state.alerts.get('F')?.status).toBe('resolved')
  })

  it('two HA peers: the resolve of one peer arriving after the other peer re-fired is stale', ({
    expect,
  }) => {
    const refire = { startsAt: E + 120_000 }

    const { kinds } = run([
      firing('F', E - 60_000, PEER_A),
      resolved('F', E + 1_000, PEER_A),
      firing('F', E + 121_000, PEER_A, refire),
      resolved('F', E + 122_000, PEER_B),
    ])

    expect(kinds).toEqual(['createTicket', 'addNote', 'status:resolved', 'status:open', 'addNote'])
  })

  it('re-fire with the same startsAt from the same sender reopens the ticket', ({ expect }) => {
    const { actions, kinds } = run([
      firing('F', E - 60_000),
      resolved('F', E + 1_000),
      firing('F', E + 2_000),
    ])

    expect(kinds).toEqual(['createTicket', 'addNote', 'status:resolved', 'status:open', 'addNote'])
    expect(actions.at(-1)).toMatchObject({
      text: expect.stringMatching(/^Reopened: 1 alert firing again/),
    })
  })

  it('re-fire from another peer after the HA window reopens the ticket', ({ expect }) => {
    const { kinds } = run([
      firing('F', E - 60_000, PEER_A),
      resolved('F', E + 1_000, PEER_A),
      firing('F', E + 62_000, PEER_B),
    ])

    expect(kinds.slice(3)).toEqual(['status:open', 'addNote'])
  })

  it('a firing that started after the recorded end is a new incident, even from a peer', ({
    expect,
  }) => {
    const { kinds } = run([
      firing('F', E - 60_000, PEER_A),
      resolved('F', E + 1_000, PEER_A),
      firing('F', E + 2_000, PEER_B, { startsAt: E + 1_500 }),
    ])

    expect(kinds.slice(3)).toEqual(['status:open', 'addNote'])
  })
})

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
