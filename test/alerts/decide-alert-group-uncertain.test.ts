import { describe, it } from 'vitest'
import type { AlertGroupState } from '../../src/alerts/decide-alert-group'
import { E, firing, resolved, run } from './notifications'

/**
 * A status change whose outcome is unknown (Udesk committed it and the answer was lost): the
 * coordinator forgets the ticket's status (`forgetUncertainStatus`), so the next notification
 * sets it again. A sender's repeat of the same notification must then only set it, not note
 * the change a second time: the chaos run's repeated resolves showed two "Resolved" notes.
 */
const uncertain = (state: AlertGroupState): AlertGroupState => ({
  ...state,
  ticket: { ...state.ticket, status: undefined },
})

describe('decideAlertGroup after a status change whose outcome is unknown', () => {
  it('a repeated resolve sets the status again without a second note', ({ expect }) => {
    const resolving = run([firing('F', E - 60_000), resolved('F', E + 1_000)])

    const repeat = run([resolved('F', E + 1_500)], uncertain(resolving.state))

    expect(resolving.kinds).toEqual(['createTicket', 'addNote', 'status:resolved'])
    expect(repeat.kinds).toEqual(['status:resolved'])
    expect(repeat.state.ticket.status).toBe('resolved')
  })

  it('a repeated re-fire reopens again without a second note', ({ expect }) => {
    const reopening = run([
      firing('F', E - 60_000),
      resolved('F', E + 1_000),
      firing('F', E + 2_000),
    ])

    const repeat = run([firing('F', E + 2_500)], uncertain(reopening.state))

    expect(reopening.kinds.slice(3)).toEqual(['status:open', 'addNote'])
    expect(repeat.kinds).toEqual(['status:open'])
  })

  it('a firing after a resolve of unknown outcome reopens with its note', ({ expect }) => {
    const resolving = run([firing('F', E - 60_000), resolved('F', E + 1_000)])

    const refire = run([firing('F', E + 2_000)], uncertain(resolving.state))

    expect(refire.kinds).toEqual(['status:open', 'addNote'])
    expect(refire.actions.at(-1)).toMatchObject({ text: expect.stringMatching(/^Reopened: /) })
  })

  it('a resolve after a reopening of unknown outcome notes it resolved', ({ expect }) => {
    const reopening = run([
      firing('F', E - 60_000),
      resolved('F', E + 1_000),
      firing('F', E + 2_000),
    ])

    const resolve = run(
      [resolved('F', E + 3_000, undefined, E + 2_800)],
      uncertain(reopening.state),
    )

    expect(resolve.kinds).toEqual(['addNote', 'status:resolved'])
  })
})
