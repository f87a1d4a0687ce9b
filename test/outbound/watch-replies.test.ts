import { describe, it } from 'vitest'
import { MAX_HANDLED_REPLIES } from '../../src/outbound/watch-state'
import { MIN, SEC, T0, Watch, reply, sentReplyIds, sentStatuses, udeskTime } from './watch-fixtures'

describe('agent replies found by polling', () => {
  it('sends public agent replies by created_at then id, whatever order Udesk lists them in', ({
    expect,
  }) => {
    const watch = new Watch()
    const listed = [reply(12, T0 + 50 * SEC), reply(11, T0 + 20 * SEC), reply(9, T0 + 20 * SEC)]

    const actions = watch.poll('open', udeskTime(T0 + 50 * SEC), listed)

    expect(sentReplyIds(actions)).toEqual([9, 11, 12])
    expect(actions[0]).toMatchObject({
      type: 'send_reply',
      ticketId: 848,
      reply: { id: 9, content: '<p>Reply 9</p>', contentFormat: 'html', authorName: 'Tom' },
    })
  })

  it('sends each reply once: listed twice, on two pages, or again on the next poll', ({
    expect,
  }) => {
    const watch = new Watch()
    const first = reply(3, T0 + 10 * SEC)
    watch.poll('open', udeskTime(T0 + 10 * SEC), [first, first])

    const later = watch.poll('open', udeskTime(T0 + 40 * SEC), [reply(4, T0 + 40 * SEC), first])

    expect(sentReplyIds(watch.actions)).toEqual([3, 4])
    expect(sentReplyIds(later)).toEqual([4])
  })

  it('never sends internal notes, customer replies or replies the bridge wrote', ({ expect }) => {
    const watch = new Watch()
    watch.send({ type: 'bridge_reply', replyId: 21 })
    const listed = [
      reply(20, T0 + 5 * SEC, 'customer'),
      reply(21, T0 + 6 * SEC, 'public'),
      reply(22, T0 + 7 * SEC, 'internal'),
      reply(23, T0 + 8 * SEC, 'public'),
    ]

    const actions = watch.poll('open', udeskTime(T0 + 8 * SEC), listed)

    expect(sentReplyIds(actions)).toEqual([23])
    expect(watch.state.ownReplyIds).toEqual([])
  })

  it('sends at most the room the queue has, in order, and the rest at the next poll', ({
    expect,
  }) => {
    const watch = new Watch()
    const listed = [1, 2, 3, 4, 5].map((n) => reply(40 + n, T0 + n * SEC))
    const notes = [reply(50, T0 + 2500, 'internal')]
    const last = udeskTime(T0 + 5 * SEC)

    const first = watch.poll('open', last, [...listed, ...notes], 2)
    const second = watch.poll('open', last, [...listed, ...notes], 10)
    const third = watch.poll('open', last, [...listed, ...notes], 10)

    expect(sentReplyIds(first)).toEqual([41, 42])
    expect(sentReplyIds(second)).toEqual([43, 44, 45])
    expect(third).toEqual([])
    expect(watch.state.seen.agentRepliedAt).toBe(last)
  })

  it('reads no replies while agent_replied_at stays the same, so a note costs one call', ({
    expect,
  }) => {
    const watch = new Watch()

    const actions = watch.poll('open', null, [reply(30, T0 + SEC, 'internal')])

    expect(watch.actions.map((a) => a.type)).toEqual(['read_detail'])
    expect(actions).toEqual([])
  })

  it('sends the replies of a poll before the status change found with them', ({ expect }) => {
    const watch = new Watch()

    const actions = watch.poll('resolved', udeskTime(T0 + 9 * SEC), [reply(40, T0 + 9 * SEC)])

    expect(actions.map((a) => a.type)).toEqual(['send_reply', 'send_status'])
    expect(sentStatuses(actions)).toEqual(['open->resolved'])
  })

  it('still sends each reply once after its memory of ids is trimmed', ({ expect }) => {
    const watch = new Watch()
    const all = Array.from({ length: MAX_HANDLED_REPLIES + 50 }, (_, i) =>
      reply(100 + i, T0 + i * SEC),
    )
    watch.poll('open', udeskTime(T0), all.slice(0, 150))
    watch.poll('open', udeskTime(T0 + MIN), all.slice(0, 250))

    const again = watch.poll('open', udeskTime(T0 + 2 * MIN), [...all].reverse())

    expect(again).toEqual([])
    expect(sentReplyIds(watch.actions)).toEqual(all.map((r) => r.id))
    expect(watch.state.handled).toHaveLength(MAX_HANDLED_REPLIES)
    expect(watch.state.floor).toEqual({ at: T0 + 49 * SEC, id: 149 })
  })

  it('knows a reply without an id by its time, author and content', ({ expect }) => {
    const watch = new Watch()
    const { id: _, ...anonymous } = reply(0, T0 + SEC)

    watch.poll('open', udeskTime(T0 + SEC), [anonymous])
    watch.poll('open', udeskTime(T0 + 2 * SEC), [anonymous, reply(50, T0 + 2 * SEC)])

    const ids = sentReplyIds(watch.actions)
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBeLessThan(0)
    expect(ids[1]).toBe(50)
  })

  it('ignores a late answer to an earlier poll', ({ expect }) => {
    const watch = new Watch()
    const firstPoll = watch.state.nextPollAt!
    watch.at(firstPoll).send({ type: 'alarm' })
    watch.send({ type: 'poll_failed' })
    watch.poll('open', udeskTime(T0 + 10 * SEC), [reply(60, T0 + 10 * SEC)])

    const late = watch.send({
      type: 'detail',
      poll: firstPoll,
      status: 'open',
      agentRepliedAt: null,
    })

    expect(late).toEqual([])
    expect(watch.state.seen.agentRepliedAt).toBe(udeskTime(T0 + 10 * SEC))
    expect(sentReplyIds(watch.actions)).toEqual([60])
  })
})
