import { describe, it } from 'vitest'
import {
  busied,
  diffListing,
  EMPTY_SWEEP_MEMORY,
  IDLE_SWEEP_PACE,
  nextSweepAt,
  rungSweepAt,
  sweptGlance,
  unringTickets,
  type SweepMemory,
} from '../../src/outbound/sweep-memory'
import { DEFAULT_WATCH_TIMINGS } from '../../src/outbound/watch-state'
import type { ListedTicket } from '../../src/udesk/schemas'

/** A ticket as `GET /tickets/export` lists it (only the fields the sweep reads matter). */
const listed = (id: number, status_en: string, agent_replied_at: string | null) =>
  ({
    id,
    status: '开启',
    status_en,
    agent_replied_at,
  }) satisfies ListedTicket

const T0 = Date.parse('2026-11-30T10:00:00Z')
const REPLIED = '2026-11-30T18:00:05.000+08:00'

function remembered(complete = true): SweepMemory {
  const listing = { tickets: [listed(1, 'open', null), listed(2, 'solving', null)], complete }
  return diffListing(EMPTY_SWEEP_MEMORY, listing, T0).memory
}

describe('diffListing', () => {
  it('rings no ticket of a first listing: each watch compares its glance at its next poll', ({
    expect,
  }) => {
    const listing = { tickets: [listed(1, 'open', null), listed(2, 'solving', REPLIED)] }
    const diff = diffListing(EMPTY_SWEEP_MEMORY, { ...listing, complete: true }, T0)

    expect(diff.changed).toEqual([])
    expect(diff.left).toEqual([])
    expect(diff.memory.glances['2']).toEqual({ status: 'solving', agentRepliedAt: REPLIED })
  })

  it('rings a ticket whose agent_replied_at or status moved, not one that stayed', ({ expect }) => {
    const tickets = [
      listed(1, 'open', REPLIED),
      listed(2, 'solving', null),
      listed(3, 'open', null),
    ]

    const diff = diffListing(remembered(), { tickets, complete: true }, T0 + 10_000)

    expect(diff.changed).toEqual([1])
    expect(diff.memory.at).toBe(T0 + 10_000)
  })

  it('rings a ticket gone from a complete listing (resolved out of an unsolved filter)', ({
    expect,
  }) => {
    const diff = diffListing(
      remembered(),
      { tickets: [listed(2, 'solving', null)], complete: true },
      T0,
    )

    expect(diff.left).toEqual([1])
  })

  it('says nothing is gone when either listing was cut short (over 2000 tickets)', ({ expect }) => {
    const cut = { tickets: [listed(2, 'solving', null)], complete: false }

    expect(diffListing(remembered(), cut, T0).left).toEqual([])
    expect(diffListing(remembered(false), { ...cut, complete: true }, T0).left).toEqual([])
  })

  it('leaves out a ticket whose status it does not know, so its watch reads the detail', ({
    expect,
  }) => {
    const odd = { ...listed(5, 'pending-vendor', null), status: '等待' } satisfies ListedTicket

    const diff = diffListing(EMPTY_SWEEP_MEMORY, { tickets: [odd], complete: true }, T0)

    expect(diff.memory.glances).toEqual({})
  })

  it('puts back the glance of a ticket whose watch could not be told, so the next listing rings it again', ({
    expect,
  }) => {
    const before = remembered()
    const moved = diffListing(before, { tickets: [listed(1, 'open', REPLIED)], complete: true }, T0)

    const kept = unringTickets(moved.memory, before, [1, 2])
    const again = diffListing(kept, { tickets: [listed(1, 'open', REPLIED)], complete: true }, T0)

    expect(again.changed).toEqual([1])
    expect(again.left).toEqual([2])
  })
})

describe('sweptGlance', () => {
  it('answers for a listed ticket only while the listing is as young as the poll asks', ({
    expect,
  }) => {
    const memory = remembered()

    expect(sweptGlance(memory, 1, T0 + 30_000, 30_000)).toEqual({
      status: 'open',
      agentRepliedAt: null,
    })
    expect(sweptGlance(memory, 1, T0 + 30_001, 30_000)).toBeUndefined()
    expect(sweptGlance(memory, 9, T0, 30_000)).toBeUndefined()
  })
})

describe('the sweep pace', () => {
  const timings = DEFAULT_WATCH_TIMINGS

  it('sweeps every 10 s for five minutes after activity, every 3 min for two hours, then stops', ({
    expect,
  }) => {
    const pace = { ...busied(IDLE_SWEEP_PACE, T0, timings), lastSweepAt: T0 }

    expect(nextSweepAt(pace, T0 + 1_000, timings)).toBe(T0 + 10_000)
    expect(nextSweepAt(pace, T0 + 6 * 60_000, timings)).toBe(T0 + 6 * 60_000)
    const late = { ...pace, lastSweepAt: T0 + 6 * 60_000 }
    expect(nextSweepAt(late, T0 + 6 * 60_000, timings)).toBe(T0 + 9 * 60_000)
    expect(nextSweepAt(late, T0 + 3 * 3600_000, timings)).toBeNull()
  })

  it('answers a doorbell at once, or half an interval after the last sweep', ({ expect }) => {
    const pace = { ...IDLE_SWEEP_PACE, lastSweepAt: T0 }

    expect(rungSweepAt(pace, T0 + 8_000, timings)).toBe(T0 + 8_000)
    expect(rungSweepAt(pace, T0 + 1_000, timings)).toBe(T0 + 5_000)
  })

  it('does not bring the sweep forward after a failure that will not pass by itself', ({
    expect,
  }) => {
    const pace = { ...IDLE_SWEEP_PACE, lastSweepAt: T0 }

    expect(rungSweepAt(pace, T0 + 8_000, timings, T0)).toBe(T0 + 3 * 60_000)
    expect(rungSweepAt(pace, T0 + 4 * 60_000, timings, T0)).toBe(T0 + 4 * 60_000)
  })
})
