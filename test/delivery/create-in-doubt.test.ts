import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, it, vi } from 'vitest'
import { loadConfig } from '../../src/config'
import { readStats } from '../../src/delivery/stats'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import type { TicketEvent } from '../../src/ticket-event'
import {
  addFault,
  callsMentioning,
  deliver,
  lastCallSeq,
  openEvent,
  replyEvent,
  ticketsTagged,
  uniqueTag,
} from './sim'

/** Longer than the tests' UDESK_TIMEOUT_MS (2 s): the client gives up, Udesk has applied it. */
const HOLD_MS = 3_000
const config = loadConfig(env)
/**
 * Ends the thread's backoffs, as hours of waiting would (the simulator checks signing times
 * against the real clock, so the test moves the backoffs rather than the clock).
 */
function backoffOver(thread: string) {
  return runInDurableObject(threadCoordinator(env, 'events', thread), (_, state) => {
    const store = new ThreadStore(state.storage)
    for (const row of store.inbox()) store.putInbox({ ...row, nextAt: 0 })
  })
}

function stateOf(thread: string) {
  return runInDurableObject(threadCoordinator(env, 'events', thread), (_, state) => {
    const store = new ThreadStore(state.storage)
    return { state: store.state, inbox: store.inbox() }
  })
}

function replayed(thread: string, event: TicketEvent) {
  const item = { event, deliveryId: `msg_${event.id}`, attempt: 1, final: false, replay: true }
  return threadCoordinator(env, event.source, thread).deliver([item])
}

const creates = async (text: string, since: number) =>
  (await callsMentioning(text, since)).filter((c) => c.method === 'POST' && c.path === '/tickets')

describe('a create committed whose answer was lost while look-ups fail for hours', () => {
  it(
    'ends with one ticket: the second notification and the replay wait, then adopt it',
    { timeout: 60_000 },
    async ({ expect }) => {
      const thread = uniqueTag('doubt')
      const email = `${thread}@customer.example`
      const first = openEvent({ thread, id: `${thread}:open1` }, { customer: { email } })
      const second = openEvent(
        { thread, id: `${thread}:open2` },
        { customer: { email }, content: 'Still burning.' },
      )
      await addFault({
        method: 'POST',
        path: '/tickets',
        match: thread,
        fault: { kind: 'commit_then_timeout', ms: HOLD_MS },
      })
      const statsBefore = (await readStats(env)).threads_awaiting_create
      const since = await lastCallSeq()

      // The create commits, its answer is lost; then every look-up answers 503 for hours.
      const [lost] = await deliver(thread, first)
      await addFault({
        method: 'GET',
        path: '/tickets',
        match: email,
        times: config.DELIVERY_MAX_ATTEMPTS + 5,
        fault: { kind: 'http', status: 503 },
      })
      const outcomes = []
      for (let attempt = 2; attempt <= config.DELIVERY_MAX_ATTEMPTS; attempt++) {
        await backoffOver(thread)
        outcomes.push((await deliver(thread, first, attempt))[0]!.outcome)
      }
      const held = await stateOf(thread)
      const statsWhileHeld = (await readStats(env)).threads_awaiting_create
      const [secondOutcome] = await deliver(thread, second)
      const [replayOutcome] = await replayed(thread, first)
      // Udesk recovers; the thread's alarm keeps checking until the look-up answers.
      for (
        let ring = 0;
        ring < 10 && (await ticketsTagged(thread))[0]?.replies.length !== 1;
        ring++
      ) {
        await backoffOver(thread)
        await runDurableObjectAlarm(threadCoordinator(env, 'events', thread))
      }

      expect(lost).toMatchObject({ outcome: 'retry', errorCode: 'udesk_timeout' })
      // At its DELIVERY_MAX_ATTEMPTS-th failure the event is not dead-lettered: the thread keeps it.
      expect(outcomes).toEqual([
        ...Array.from({ length: config.DELIVERY_MAX_ATTEMPTS - 2 }, () => 'retry'),
        'pending',
      ])
      expect(held.state.uncertainCreates?.map((c) => c.ref)).toEqual([first.id])
      expect(held.inbox.map((r) => [r.event.id, r.owned, r.failed])).toEqual([
        [first.id, true, undefined],
      ])
      expect(statsWhileHeld).toBe(statsBefore + 1)
      expect(secondOutcome).toMatchObject({ outcome: 'retry', errorCode: 'blocked' })
      expect(replayOutcome).toMatchObject({ outcome: 'pending' })
      const tickets = await ticketsTagged(thread)
      expect(tickets).toHaveLength(1)
      expect(tickets[0]!.replies.map((r) => r.content.split(/\n|<br>/)[0])).toEqual([
        'Still burning.',
      ])
      expect(await creates(thread, since)).toHaveLength(1)
      const after = await stateOf(thread)
      expect(after.state).toMatchObject({ ticketId: tickets[0]!.id, status: 'open' })
      expect(after.state.uncertainCreates).toBeUndefined()
      expect(after.inbox).toEqual([])
      expect((await readStats(env)).threads_awaiting_create).toBe(statsBefore)
    },
  )
})

describe('a thread object reset in the middle of its create', () => {
  it(
    'finds the ticket the interrupted create made instead of creating again',
    {
      timeout: 30_000,
    },
    async ({ expect }) => {
      const thread = uniqueTag('reset')
      const email = `${thread}@customer.example`
      const open = openEvent({ thread, id: `${thread}:open` }, { customer: { email } })
      await addFault({
        method: 'POST',
        path: '/tickets',
        match: thread,
        fault: { kind: 'latency', ms: 1_000 },
      })
      const stub = threadCoordinator(env, 'events', thread)
      const interrupted = deliver(thread, open).catch((err: unknown) => err)
      await vi.waitFor(async () => {
        if ((await creates(thread, 0)).length === 0) throw new Error('create not sent yet')
      }, 10_000)

      await runInDurableObject(stub, (_, state) => state.abort('reset mid-call')).catch(() => 0)
      const reset = await interrupted
      // Udesk finishes the create the object no longer waits for; the queue brings the event back.
      await vi.waitFor(async () => {
        if ((await ticketsTagged(thread)).length === 0) throw new Error('create still held')
      }, 10_000)
      const [again] = await deliver(thread, open, 2)

      expect(reset).toBeInstanceOf(Error)
      const tickets = await ticketsTagged(thread)
      expect(tickets).toHaveLength(1)
      expect(again).toEqual({ eventId: open.id, ticketId: tickets[0]!.id, outcome: 'applied' })
      expect(await creates(thread, 0)).toHaveLength(1)
    },
  )
})

describe('a replayed dead letter', () => {
  it('adopts the ticket its create made instead of opening a second one', async ({ expect }) => {
    const thread = uniqueTag('replay-open')
    const email = `${thread}@customer.example`
    const open = openEvent({ thread, id: `${thread}:open` }, { customer: { email } })
    await deliver(thread, open)
    // The thread forgot it (a one-shot thread's storage is gone, or an older bridge's state).
    await runInDurableObject(threadCoordinator(env, 'events', thread), async (_, state) => {
      await state.storage.deleteAll()
      new ThreadStore(state.storage)
    })
    const since = await lastCallSeq()

    const [outcome] = await replayed(thread, open)

    const tickets = await ticketsTagged(thread)
    expect(tickets).toHaveLength(1)
    expect(outcome).toEqual({ eventId: open.id, ticketId: tickets[0]!.id, outcome: 'applied' })
    expect(await creates(thread, since)).toEqual([])
    expect(tickets[0]!.replies).toEqual([])
  })

  it('opens the ticket when its customer never reached Udesk', async ({ expect }) => {
    const thread = uniqueTag('replay-new-customer')
    const email = `${thread}@customer.example`
    const open = openEvent({ thread, id: `${thread}:open` }, { customer: { email } })

    const [outcome] = await replayed(thread, open)

    expect(outcome).toMatchObject({ outcome: 'applied' })
    expect(await ticketsTagged(thread)).toHaveLength(1)
    expect((await stateOf(thread)).state.uncertainCreates).toBeUndefined()
  })

  it('looks up its reply before adding it again', async ({ expect }) => {
    const thread = uniqueTag('replay-reply')
    await deliver(thread, openEvent({ thread, id: `${thread}:open` }))
    const reply = replyEvent({ thread, id: `${thread}:r1` }, 'Any news?')
    await deliver(thread, reply)
    // Its applied record is past the horizon: only the look-up can tell.
    await runInDurableObject(threadCoordinator(env, 'events', thread), (_, state) =>
      state.storage.sql.exec(`DELETE FROM applied WHERE event_id = ?`, reply.id),
    )

    const [outcome] = await replayed(thread, reply)

    expect(outcome).toMatchObject({ outcome: 'applied' })
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.content.split(/\n|<br>/)[0])).toEqual(['Any news?'])
  })
})
