import { describe, expect, it } from 'vitest'
import { alert, deliver, notes, ticketOf } from './alert-events'
import { addFault, callsMentioning, lastCallSeq, ticketsTagged, uniqueTag } from './sim'

describe('alert groups', () => {
  it('open one urgent ticket naming the alert when the group fires', async () => {
    const group = uniqueTag('cpu')

    const [outcome] = await deliver(group, alert(group, 1000, 'firing', ['web-1']))

    const ticket = await ticketOf(group)
    expect(outcome).toMatchObject({ outcome: 'applied', ticketId: ticket.id })
    expect(ticket).toMatchObject({ subject: `[FIRING] HighCPU ${group}`, priority: '紧急' })
    expect(ticket.replies).toEqual([])
  })

  it('add nothing for a repeat notification of the same firing set', async () => {
    const group = uniqueTag('cpu')
    await deliver(group, alert(group, 1000, 'firing', ['web-1']))
    const since = await lastCallSeq()

    const [outcome] = await deliver(group, alert(group, 2000, 'firing', ['web-1']))

    expect(outcome).toMatchObject({ outcome: 'applied' })
    expect(await callsMentioning(group, since)).toEqual([])
    expect((await ticketOf(group)).replies).toEqual([])
  })

  it('add one internal note when the set of firing alerts changes', async () => {
    const group = uniqueTag('cpu')
    await deliver(group, alert(group, 1000, 'firing', ['web-1']))

    await deliver(group, alert(group, 2000, 'firing', ['web-1', 'web-2']))

    expect(notes(await ticketOf(group))).toEqual(['internal: firing: web-1, web-2'])
  })

  it('note and resolve when the group resolves, and reopen with a note when it fires again', async () => {
    const group = uniqueTag('cpu')
    await deliver(group, alert(group, 1000, 'firing', ['web-1']))

    await deliver(group, alert(group, 2000, 'resolved', ['web-1']))
    const resolved = await ticketOf(group)
    await deliver(group, alert(group, 3000, 'firing', ['web-1']))

    expect(resolved.status_en).toBe('resolved')
    const reopened = await ticketOf(group)
    expect(reopened.status_en).toBe('open')
    expect(notes(reopened)).toEqual([
      'internal: Resolved: every alert of the group has ended.',
      'internal: Reopened: 1 alert firing again.',
    ])
  })

  it('leave the ticket resolved for a firing received before the resolve that ended it', async () => {
    const group = uniqueTag('cpu')
    await deliver(group, alert(group, 1000, 'firing', ['web-1']))
    await deliver(group, alert(group, 3000, 'resolved', ['web-1']))
    const since = await lastCallSeq()

    const [late] = await deliver(group, alert(group, 2000, 'firing', ['web-1']))

    expect(late).toMatchObject({ outcome: 'applied' })
    expect(await callsMentioning(group, since)).toEqual([])
    expect((await ticketOf(group)).status_en).toBe('resolved')
  })

  it('coalesce a storm of one group in one batch into one ticket and one call set', async () => {
    const group = uniqueTag('storm')
    const storm = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      alert(
        group,
        1000 + n,
        'firing',
        Array.from({ length: n }, (_, i) => `web-${i + 1}`),
      ),
    )
    const since = await lastCallSeq()

    const outcomes = await deliver(group, ...storm.reverse())

    expect(outcomes.map((o) => o.outcome).sort()).toEqual([
      'applied',
      ...Array(7).fill('superseded'),
    ])
    const calls = await callsMentioning(group, since)
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /tickets'])
    const ticket = await ticketOf(group)
    expect(ticket.content).toContain(
      'firing: web-1, web-2, web-3, web-4, web-5, web-6, web-7, web-8',
    )
  })

  it('open no ticket for a group first seen resolved', async () => {
    const group = uniqueTag('cpu')

    const [outcome] = await deliver(group, alert(group, 1000, 'resolved', ['web-1']))

    expect(outcome).toMatchObject({ outcome: 'applied' })
    expect(await ticketsTagged(group)).toEqual([])
  })

  it('resolve the ticket when the group resolves while a reopen is half applied', async () => {
    const group = uniqueTag('flap')
    await deliver(group, alert(group, 1000, 'firing', ['web-1']))
    await deliver(group, alert(group, 2000, 'resolved', ['web-1']))
    const again = alert(group, 3000, 'firing', ['web-1'])
    // The reopen's status change goes through; its note fails.
    await addFault({
      path: '/tickets/agent_reply',
      match: again.id,
      fault: { kind: 'http', status: 500 },
    })

    const [halfway] = await deliver(group, again)
    const reopened = await ticketOf(group)
    const [resolved] = await deliver(group, alert(group, 4000, 'resolved', ['web-1']))

    expect(halfway).toMatchObject({ outcome: 'retry' })
    expect(reopened.status_en).toBe('open')
    expect(resolved).toMatchObject({ outcome: 'applied' })
    const ticket = await ticketOf(group)
    expect(ticket.status_en).toBe('resolved')
    expect(notes(ticket)).toEqual([
      'internal: Resolved: every alert of the group has ended.',
      'internal: Resolved: every alert of the group has ended.',
    ])
  })

  it('resolve the ticket when a superseded reopen left its status change unknown', async () => {
    const group = uniqueTag('flap')
    await deliver(group, alert(group, 1000, 'firing', ['web-1']))
    await deliver(group, alert(group, 2000, 'resolved', ['web-1']))
    // Udesk applies the reopen but its answer is lost (504): the outcome is unknown to us.
    await addFault({
      method: 'PUT',
      path: '/tickets/:id',
      match: group,
      fault: { kind: 'commit_then_timeout', ms: 50 },
    })

    const [unknown] = await deliver(group, alert(group, 3000, 'firing', ['web-1']))
    const reopened = await ticketOf(group)
    const [resolved] = await deliver(group, alert(group, 4000, 'resolved', ['web-1']))

    expect(unknown).toMatchObject({ outcome: 'retry' })
    expect(reopened.status_en).toBe('open')
    expect(resolved).toMatchObject({ outcome: 'applied' })
    expect((await ticketOf(group)).status_en).toBe('resolved')
  })

  it('keep the state of a group of 10,000 alerts and resolve it when the last one ends', async () => {
    const group = uniqueTag('huge')
    const ids = Array.from({ length: 10_000 }, (_, n) => `fp-${n}`)
    await deliver(group, alert(group, 1000, 'firing', ids))

    const [most] = await deliver(group, alert(group, 2000, 'resolved', ids.slice(1)))
    const open = await ticketOf(group)
    const [last] = await deliver(group, alert(group, 3000, 'resolved', ids.slice(0, 1)))

    expect(most).toMatchObject({ outcome: 'applied' })
    expect(open.status_en).toBe('open')
    expect(last).toMatchObject({ outcome: 'applied' })
    expect((await ticketOf(group)).status_en).toBe('resolved')
  })
})
