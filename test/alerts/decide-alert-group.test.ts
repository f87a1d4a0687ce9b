import { describe, it } from 'vitest'
import { E, firing, PEER_A, PEER_B, resolved, run } from './notifications'

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
