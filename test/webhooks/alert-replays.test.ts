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
import { watchQueue } from './queue'

afterEach(() => {
  vi.restoreAllMocks()
})

/**
 * A group's repeated notification is answered duplicate by its mark, the hash of the group's
 * last notification in the memory of the isolate that queued it, and queued all the same:
 * stories of retries, another isolate and refires, through the worker to what the simulator
 * holds afterwards. Whatever the mark says, a refire after a resolve reopens the ticket.
 */
/** A group of its own, fired: its ticket open, no mock left. */
async function openGroup(prefix: string) {
  const name = unique(prefix)
  const fire = groupOf(name, firing)
  expect(await send(alertmanager(fire))).toMatchObject({ status: 202 })
  await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
  return { name, fire }
}

/** The ticket of `name` once it has settled open, and no second ticket after a while. */
async function oneOpenTicket(name: string) {
  const ticket = await settledTicket(name, (t) => expect(t.status_en).toBe('open'))
  await new Promise((resolve) => setTimeout(resolve, 1_500)) // a second delivery would show
  const tickets = await ticketsMentioning(name)
  expect(tickets).toHaveLength(1)
  expect(noteHeads(tickets[0]!)).toEqual(noteHeads(ticket))
}

describe('alert replays and refires', { timeout: 40_000 }, () => {
  it('answers the exact redelivery of the last notification as a duplicate, and its thread ignores it', async ({
    expect,
  }) => {
    const name = unique('Retry')
    const fire = groupOf(name, firing)
    const queue = watchQueue()
    await send(alertmanager(fire))

    const retry = await send(alertmanager(fire))

    expect(retry).toEqual({ status: 200, body: { status: 'duplicate' } })
    // Queued all the same, marked so the consumer does not count it accepted.
    expect(queue.messages().map((m) => m.repeat)).toEqual([undefined, true])
    await oneOpenTicket(name)
  })

  it('reads and writes no replay key in KV for an alert notification', async ({ expect }) => {
    const get = vi.spyOn(env.BRIDGE_KV, 'get')
    const put = vi.spyOn(env.BRIDGE_KV, 'put')
    const queue = watchQueue()
    const { name, fire } = await openGroup('NoKv')

    expect(await send(alertmanager(fire))).toEqual({ status: 200, body: { status: 'duplicate' } })

    await resolveGroup(name)
    const replayKeys = [...get.mock.calls, ...put.mock.calls]
      .map(([key]) => String(key))
      .filter((key) => key.startsWith('replay:'))
    expect(replayKeys).toEqual([])
    expect(queue.sent().filter((body) => Object.hasOwn(Object(body), 'remember'))).toEqual([])
  })

  it('opens one ticket when a redelivery reaches another isolate', async ({ expect }) => {
    const name = unique('OtherIsolate')
    const fire = groupOf(name, firing)
    const first = await send(alertmanager(fire))
    // Another isolate: nothing of this group in its memory.
    vi.spyOn(recentDeliveries, 'valueOf').mockReturnValue(undefined)

    const again = await send(alertmanager(fire))

    expect(first).toMatchObject({ status: 202, body: { status: 'accepted' } })
    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await oneOpenTicket(name)
  })

  it('reopens on a byte-identical refire after a resolve the same isolate queued', async ({
    expect,
  }) => {
    const { name, fire } = await openGroup('Refire')
    await resolveGroup(name)

    const again = await send(alertmanager(fire))

    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    await reopenedTicket(name)
  })

  it('reopens on a byte-identical refire that reaches an isolate which never saw the resolve', async ({
    expect,
  }) => {
    const { name, fire } = await openGroup('StaleMark')
    // Another isolate answers the resolve: this one keeps the firing's mark.
    const add = vi.spyOn(recentDeliveries, 'add').mockImplementation(() => {})
    await resolveGroup(name)
    add.mockRestore()
    const queue = watchQueue()

    const again = await send(alertmanager(fire))

    // The stale mark calls it a duplicate; it is queued all the same and its thread decides.
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } })
    expect(queue.messages()).toEqual([expect.objectContaining({ repeat: true })])
    await reopenedTicket(name)
  })
})
