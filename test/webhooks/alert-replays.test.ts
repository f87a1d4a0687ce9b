import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import { recentMarks } from '../../src/inbound/recent-deliveries'
import { callsMentioning, deliver, lastCallSeq } from '../delivery/sim'
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

describe('alert replays and refires', { timeout: 40_000 }, () => {
  it('answers the exact redelivery of the last notification as a duplicate, and its thread changes nothing', async ({
    expect,
  }) => {
    const { name, fire } = await openGroup('Retry')
    const since = await lastCallSeq()
    const queue = watchQueue()

    const retry = await send(alertmanager(fire))

    expect(retry).toEqual({ status: 200, body: { status: 'duplicate' } })
    // Queued all the same, marked so the consumer does not count it accepted.
    const [message, ...more] = queue.messages()
    expect(more).toEqual([])
    expect(message).toMatchObject({ repeat: true })
    // The thread takes it (here, or already from the queue): no Udesk call, no note.
    const [outcome] = await deliver(message!.event.thread, message!.event)
    expect(['applied', 'duplicate']).toContain(outcome?.outcome)
    expect(await callsMentioning(name, since)).toEqual([])
    const [ticket, ...others] = await ticketsMentioning(name)
    expect(others).toEqual([])
    expect(ticket).toMatchObject({ status_en: 'open' })
    expect(noteHeads(ticket!)).toEqual([])
  })

  it('reads and writes no KV key of its group for an alert notification', async ({ expect }) => {
    const get = vi.spyOn(env.BRIDGE_KV, 'get')
    const put = vi.spyOn(env.BRIDGE_KV, 'put')
    const queue = watchQueue()
    const { name, fire } = await openGroup('NoKv')

    expect(await send(alertmanager(fire))).toEqual({ status: 200, body: { status: 'duplicate' } })

    await resolveGroup(name)
    const keys = [...get.mock.calls, ...put.mock.calls].map(([key]) => String(key))
    const replayOrMark = (key: string) => /^(replay|mark):/.test(key) || key.includes(name)
    expect(keys.filter(replayOrMark)).toEqual([])
    expect(queue.sent().filter((body) => Object.hasOwn(Object(body), 'remember'))).toEqual([])
  })

  it('opens one ticket when a redelivery reaches another isolate', async ({ expect }) => {
    const { name, fire } = await openGroup('OtherIsolate')
    const since = await lastCallSeq()
    const queue = watchQueue()
    // Another isolate: nothing of this group in its memory.
    vi.spyOn(recentMarks, 'valueOf').mockReturnValue(undefined)

    const again = await send(alertmanager(fire))

    expect(again).toMatchObject({ status: 202, body: { status: 'accepted' } })
    const [message] = queue.messages()
    expect(message).not.toHaveProperty('repeat')
    const [outcome] = await deliver(message!.event.thread, message!.event)
    expect(['applied', 'duplicate']).toContain(outcome?.outcome)
    expect(await callsMentioning(name, since)).toEqual([])
    const [ticket, ...others] = await ticketsMentioning(name)
    expect(others).toEqual([])
    expect(noteHeads(ticket!)).toEqual([])
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
    const add = vi.spyOn(recentMarks, 'add').mockImplementation(() => {})
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
