import { describe, it } from 'vitest'
import { STALE_MS, STARVING_MS, starvingAhead, type PollLine } from '../../src/outbound/poll-line'

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0)

describe('the line of polls waiting for a spare token', () => {
  it('puts a newer poll behind one that has asked for 2 s, whoever asks first', ({ expect }) => {
    const line: PollLine = new Map()
    const answerWaiting = { id: 'thread-a', since: T0 }
    const coldPoll = { id: 'thread-b', since: T0 + 20_000 }
    starvingAhead(line, answerWaiting, T0 + 20_000)
    starvingAhead(line, answerWaiting, T0 + 21_000)

    const newcomer = starvingAhead(line, coldPoll, T0 + 20_000 + STARVING_MS)
    const older = starvingAhead(line, answerWaiting, T0 + 20_100 + STARVING_MS)

    expect(newcomer).toBe(1)
    expect(older).toBe(0)
  })

  it('lets a newer poll pass an older one that has not starved: tokens are plentiful', ({
    expect,
  }) => {
    const line: PollLine = new Map()
    starvingAhead(line, { id: 'older', since: T0 }, T0 + 10)

    expect(starvingAhead(line, { id: 'newer', since: T0 + 5 }, T0 + 20)).toBe(0)
  })

  it('passes over a waiter that stopped asking (its poll gave up or was evicted)', ({ expect }) => {
    const line: PollLine = new Map()
    starvingAhead(line, { id: 'gone', since: T0 }, T0)
    starvingAhead(line, { id: 'gone', since: T0 }, T0 + STARVING_MS)

    const next = starvingAhead(line, { id: 'next', since: T0 + 1 }, T0 + STARVING_MS + STALE_MS + 1)

    expect(next).toBe(0)
    expect([...line.keys()]).toEqual(['next'])
  })
})
