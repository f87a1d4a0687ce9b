import { describe, expect, it } from 'vitest'
import { alert, deliver, deliverAttempt, notes, ticketOf } from './alert-events'
import { addFault, uniqueTag } from './sim'

/** Longer than the tests' UDESK_TIMEOUT_MS (2 s): the client gives up, Udesk has applied it. */
const HOLD_MS = 3_000
const RESOLVED_NOTE = 'internal: Resolved: every alert of the group has ended.'

/** A fired group with its ticket open, and a resolve of it at `at`. */
async function firedGroup(name: string) {
  const group = uniqueTag(name)
  await deliver(group, alert(group, 1000, 'firing', ['web-1']))
  return { group, resolve: (at: number) => alert(group, at, 'resolved', ['web-1']) }
}

/**
 * A resolve whose decision is abandoned halfway (its event waits for a retry, and the sender's
 * repeat of the same notification supersedes it) is carried on by the repeat from what it
 * already wrote: the fault test showed such repeats writing a second "Resolved" note.
 */
describe('an alert decision abandoned halfway', { timeout: 20_000 }, () => {
  const faults = [
    {
      when: "its repeat comes while the resolve's status change waits for a retry",
      fault: { method: 'PUT', fault: { kind: 'http', status: 503 } },
    },
    {
      when: 'its note was written but the answer lost',
      fault: { method: 'POST', fault: { kind: 'commit_then_timeout', ms: HOLD_MS } },
    },
    {
      when: 'its note never got written',
      fault: { method: 'POST', fault: { kind: 'http', status: 503 } },
    },
  ]

  it.each(faults)('notes a resolve once, and resolves, when $when', async ({ fault }) => {
    const { group, resolve } = await firedGroup('resolve')
    await addFault({ ...fault, match: group, times: 1 })

    const [first] = await deliver(group, resolve(3000))
    const [repeat] = await deliver(group, resolve(3500))

    expect(first?.outcome).not.toBe('applied')
    expect(repeat).toMatchObject({ outcome: 'applied' })
    const ticket = await ticketOf(group)
    expect(notes(ticket)).toEqual([RESOLVED_NOTE])
    expect(ticket.status_en).toBe('resolved')
  })

  it('reopens on a refire after a resolve given up with its status change of unknown outcome', async () => {
    const { group, resolve } = await firedGroup('given-up')
    // Udesk resolves the ticket, but the answer is lost: the resolve is given up at that.
    await addFault({
      method: 'PUT',
      match: group,
      times: 1,
      fault: { kind: 'commit_then_timeout', ms: HOLD_MS },
    })
    const [givenUp] = await deliverAttempt(group, { final: true }, resolve(3000))
    const resolved = await ticketOf(group)

    const [refire] = await deliver(group, alert(group, 5000, 'firing', ['web-1']))

    expect(givenUp?.outcome).not.toBe('applied')
    expect(resolved.status_en).toBe('resolved')
    expect(refire).toMatchObject({ outcome: 'applied' })
    expect((await ticketOf(group)).status_en).toBe('open')
  })
})
