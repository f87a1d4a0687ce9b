import { describe, it } from 'vitest'
import {
  HOUR,
  MIN,
  SEC,
  T0,
  TIMINGS,
  Watch,
  reply,
  sentStatuses,
  udeskTime,
} from './watch-fixtures'

describe('when a watched ticket is polled', () => {
  it('polls 30 s after activity, then every 3 min, then every 20 min', ({ expect }) => {
    const watch = new Watch()
    const polls: number[] = []

    while (watch.now < T0 + 3 * HOUR) {
      watch.poll('open', null)
      polls.push(watch.now - T0)
    }

    const gaps = polls.slice(1).map((at, i) => at - polls[i]!)
    expect(polls[0]).toBe(30 * SEC)
    expect(new Set(gaps.filter((_, i) => polls[i]! < 5 * MIN))).toEqual(new Set([30 * SEC]))
    expect(gaps).toContain(3 * MIN)
    expect(gaps.at(-1)).toBe(20 * MIN)
  })

  it('does nothing when the alarm rings before the poll is due', ({ expect }) => {
    const watch = new Watch()

    const actions = watch.at(T0 + 10 * SEC).send({ type: 'alarm' })

    expect(actions).toEqual([])
  })

  it('polls every 30 s again after an agent reply on a quiet ticket', ({ expect }) => {
    const watch = new Watch()
    while (watch.now < T0 + 3 * HOUR) watch.poll('open', null)
    const quietAt = watch.now

    watch.poll('open', udeskTime(quietAt), [reply(1, quietAt)])

    expect(watch.state.nextPollAt! - watch.now).toBe(30 * SEC)
  })

  it('polls now when the doorbell rings, at most once per debounce interval', ({ expect }) => {
    const watch = new Watch()
    while (watch.now < T0 + 3 * HOUR) watch.poll('open', null)
    const lastPoll = watch.now

    watch.at(lastPoll + 2 * SEC).send({ type: 'doorbell' })
    watch.at(lastPoll + 3 * SEC).send({ type: 'doorbell' })

    expect(watch.state.nextPollAt).toBe(lastPoll + TIMINGS.debounceMs)
    watch.at(lastPoll + TIMINGS.debounceMs + 10 * SEC).send({ type: 'doorbell' })
    expect(watch.state.nextPollAt).toBe(lastPoll + TIMINGS.debounceMs)
  })

  it('polls again right after a poll during which the doorbell rang', ({ expect }) => {
    const watch = new Watch()
    while (watch.now < T0 + 3 * HOUR) watch.poll('open', null)
    const [read] = watch.at(watch.state.nextPollAt!).send({ type: 'alarm' })
    const pollAt = watch.now

    watch.at(pollAt + SEC).send({ type: 'doorbell' })
    watch.send({ type: 'detail', poll: pollAt, status: 'open', agentRepliedAt: null })

    expect(read?.type).toBe('read_detail')
    expect(watch.state.nextPollAt).toBe(pollAt + TIMINGS.debounceMs)
  })

  it('makes the ticket hot when the customer writes again', ({ expect }) => {
    const watch = new Watch()
    while (watch.now < T0 + 3 * HOUR) watch.poll('open', null)

    watch.at(watch.now + MIN).send({ type: 'customer_message' })

    expect(watch.state.nextPollAt).toBe(watch.now + 30 * SEC)
  })

  it('retries a failed poll one interval on, or when the budget has room', ({ expect }) => {
    const watch = new Watch()
    watch.at(watch.state.nextPollAt!).send({ type: 'alarm' })

    watch.send({ type: 'poll_failed', retryAt: watch.now + 7 * SEC })

    expect(watch.state.nextPollAt).toBe(watch.now + 7 * SEC)
    expect(watch.state.polling).toBeNull()
  })
})

describe('ticket status', () => {
  it('sends a status change an agent made, numbered', ({ expect }) => {
    const watch = new Watch()

    watch.poll('solving', null)
    watch.poll('resolved', null)

    expect(sentStatuses(watch.actions)).toEqual(['open->solving', 'solving->resolved'])
    expect(watch.actions.filter((a) => a.type === 'send_status').map((a) => a.seq)).toEqual([1, 2])
  })

  it('does not send a status the bridge set itself, but a later agent change', ({ expect }) => {
    const watch = new Watch()
    watch.send({ type: 'bridge_status', status: 'resolved' })

    watch.poll('open', null)
    watch.poll('resolved', null)
    watch.poll('open', null)

    expect(sentStatuses(watch.actions)).toEqual(['resolved->open'])
  })

  it('sends the agent status that replaced the one the bridge set before a poll saw it', ({
    expect,
  }) => {
    const watch = new Watch()
    watch.send({ type: 'bridge_status', status: 'resolved' })

    watch.poll('solving', null)
    watch.poll('resolved', null)

    expect(sentStatuses(watch.actions)).toEqual(['open->solving', 'solving->resolved'])
  })

  it('stops a day after the ticket was resolved, and comes back when the customer writes', ({
    expect,
  }) => {
    const watch = new Watch()
    watch.poll('resolved', null)
    const resolvedAt = watch.now
    while (watch.state.phase === 'watching') watch.poll('resolved', null)
    const stoppedAt = watch.now

    watch.at(stoppedAt + HOUR).send({ type: 'customer_message' })

    expect(stoppedAt - resolvedAt).toBeGreaterThanOrEqual(TIMINGS.stopAfterEndedMs)
    expect(stoppedAt - resolvedAt).toBeLessThan(TIMINGS.stopAfterEndedMs + TIMINGS.coldEveryMs)
    expect(watch.state).toMatchObject({ phase: 'watching', endedAt: null })
    expect(watch.state.nextPollAt).toBe(watch.now + 30 * SEC)
  })

  it('keeps watching a ticket reopened before the day is over', ({ expect }) => {
    const watch = new Watch()
    watch.poll('resolved', null)
    while (watch.now < T0 + 20 * HOUR) watch.poll('resolved', null)

    while (watch.now < T0 + 30 * HOUR) watch.poll('open', null)

    expect(watch.state.phase).toBe('watching')
    expect(sentStatuses(watch.actions)).toEqual(['open->resolved', 'resolved->open'])
  })

  it('pauses when a delivery fails for good, ignores rings, and resumes at once', ({ expect }) => {
    const watch = new Watch()
    watch.send({ type: 'delivery_failed' })
    watch.at(T0 + MIN).send({ type: 'doorbell' })
    const paused = { ...watch.state }

    watch.at(T0 + HOUR).send({ type: 'resume' })

    expect(paused).toMatchObject({ phase: 'paused', nextPollAt: null })
    expect(watch.state).toMatchObject({ phase: 'watching', nextPollAt: T0 + HOUR })
  })

  it('stops when the ticket is gone', ({ expect }) => {
    const watch = new Watch()

    watch.send({ type: 'ticket_gone' })
    const actions = watch.at(T0 + HOUR).send({ type: 'alarm' })

    expect(watch.state).toMatchObject({ phase: 'stopped', nextPollAt: null })
    expect(actions).toEqual([])
  })
})
