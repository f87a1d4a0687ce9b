import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import { recentDeliveries } from '../../src/inbound/recent-deliveries'
import {
  alertmanager,
  groupOf,
  noteHeads,
  reopenedTicket,
  resolveGroup,
  send,
  settledTicket,
  ticketsMentioning,
  unique,
} from './alert-tickets'
import { notesWritten, watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/**
 * A group's repeated notification is answered duplicate by its mark (the hash of the group's
 * last notification, written to KV by the queue consumer): stories of retries, a lagging
 * consumer and another isolate, through the worker to what the simulator holds afterwards.
 * Whatever the mark says, a refire after a resolve reopens the ticket.
 */
/** A group of its own, fired: its ticket open and its mark in KV, no mock left. */
async function openGroup(prefix: string) {
  const name = unique(prefix)
  const fire = groupOf(name, firing)
  const queue = watchQueue()
  expect(await send(alertmanager(fire))).toMatchObject({ status: 202 })
  await notesWritten(queue) // KV holds the firing's mark
  await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
  vi.restoreAllMocks()
  return { name, fire }
}

/**
 * Group marks' KV writes from here on pass `skip` first: true drops the write (a consumer that
 * has not got to it), a throw refuses it (KV's one write a second per key), false lets it be.
 */
function interceptMarkWrites(skip: (key: string, value: unknown) => boolean | Promise<boolean>) {
  const put = env.BRIDGE_KV.put.bind(env.BRIDGE_KV)
  vi.spyOn(env.BRIDGE_KV, 'put').mockImplementation(async (key, value, options) => {
    if (key.includes(':last:') && (await skip(key, value))) return
    return put(key, value, options)
  })
}

describe('alert replays and refires', { timeout: 40_000 }, () => {
  it('answers the exact redelivery of the last notification as a duplicate', async ({ expect }) => {
    const fire = groupOf(unique('Retry'), firing)
    await send(alertmanager(fire))

    const retry = await send(alertmanager(fire))

    expect(retry).toEqual({ status: 200, body: { status: 'duplicate' } })
  })

  it('opens one ticket when redeliveries reach another isolate, before or after the consumer wrote the mark', async ({
    expect,
  }) => {
    const name = unique('EarlyRetry')
    const fire = groupOf(name, firing)
    const queue = watchQueue()
    const first = await send(alertmanager(fire))
    // Another isolate: nothing of this notification in its memory, only what KV holds.
    vi.spyOn(recentDeliveries, 'valueOf').mockReturnValue(undefined)

    // Within the consumer's first second KV may not hold the mark yet: then the retry is queued
    // again, and the thread's per-alert state makes it a no-op.
    const early = await send(alertmanager(fire))
    await notesWritten(queue)
    const late = await send(alertmanager(fire))

    expect(first).toMatchObject({ status: 202, body: { status: 'accepted' } })
    expect([200, 202]).toContain(early.status)
    expect(late).toEqual({ status: 200, body: { status: 'duplicate' } })
    const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
    await new Promise((resolve) => setTimeout(resolve, 1_500)) // a second delivery would show
    expect(await ticketsMentioning(name)).toHaveLength(1)
    expect(noteHeads((await ticketsMentioning(name))[0]!)).toEqual(noteHeads(ticket))
  })

  it('reopens on a byte-identical refire that comes before the consumer has written the resolve', async ({
    expect,
  }) => {
    const { name, fire } = await openGroup('EarlyRefire')
    // The queue is behind: the consumer has not written the resolve's mark to KV yet.
    interceptMarkWrites(async (key, value) => value !== (await env.BRIDGE_KV.get(key)))
    await resolveGroup(name)

    const again = await send(alertmanager(fire))

    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await reopenedTicket(name)
  })

  it('reopens on a byte-identical refire when KV refused the resolve mark once (one write a second per key)', async ({
    expect,
  }) => {
    const { name, fire } = await openGroup('RefusedMark')
    let refused = 0
    interceptMarkWrites(() => {
      if (refused++ === 0) throw new Error('KV PUT failed: 429 Too Many Requests')
      return false
    })
    const resolveQueue = watchQueue()
    await resolveGroup(name)
    await notesWritten(resolveQueue)
    // The refire reaches another isolate (or this one past its mark's few seconds in memory).
    vi.spyOn(recentDeliveries, 'valueOf').mockReturnValue(undefined)

    const again = await send(alertmanager(fire))

    expect(refused).toBeGreaterThan(1)
    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
  })

  it('reopens on a byte-identical refire that reaches another isolate while the resolve waits in the queue', async ({
    expect,
  }) => {
    const { name, fire } = await openGroup('StaleMark')
    // The queue is behind: KV still holds the firing's mark when the refire arrives.
    interceptMarkWrites(() => true)
    await resolveGroup(name)
    // Another isolate: nothing of this group in its memory, only KV's stale mark.
    vi.spyOn(recentDeliveries, 'valueOf').mockReturnValue(undefined)
    const queue = watchQueue()

    const again = await send(alertmanager(fire))

    // The stale mark calls it a duplicate; it is queued all the same and its thread decides.
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } })
    expect(queue.messages()).toEqual([expect.objectContaining({ repeat: true })])
    await reopenedTicket(name)
  })
})
