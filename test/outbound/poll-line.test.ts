import { describe, it } from 'vitest'
import { hasTurn, STALE_MS, type PollLine } from '../../src/outbound/poll-line'

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0)

describe('the line of polls waiting for a spare token', () => {
  it('gives the turn to the poll that fell due first, whoever asks first', ({ expect }) => {
    const line: PollLine = new Map()
    const answerWaiting = { id: 'thread-a', since: T0 }
    const coldPoll = { id: 'thread-b', since: T0 + 20_000 }

    hasTurn(line, answerWaiting, T0 + 20_000)
    const newcomerFirst = hasTurn(line, coldPoll, T0 + 21_000)
    const olderThen = hasTurn(line, answerWaiting, T0 + 21_100)

    expect(newcomerFirst).toBe(false)
    expect(olderThen).toBe(true)
  })

  it('passes over a waiter that stopped asking (its poll gave up or was evicted)', ({ expect }) => {
    const line: PollLine = new Map()
    hasTurn(line, { id: 'gone', since: T0 }, T0)

    const next = hasTurn(line, { id: 'next', since: T0 + 1_000 }, T0 + STALE_MS + 1)

    expect(next).toBe(true)
    expect([...line.keys()]).toEqual(['next'])
  })

  it('orders waiters due at the same moment by id, so exactly one has the turn', ({ expect }) => {
    const line: PollLine = new Map()
    hasTurn(line, { id: 'b', since: T0 }, T0)

    expect(hasTurn(line, { id: 'a', since: T0 }, T0)).toBe(true)
    expect(hasTurn(line, { id: 'b', since: T0 }, T0)).toBe(false)
  })
})
