import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, it, vi } from 'vitest'
import { ALARM_RETRY_BASE_MS, nextAlarmAt } from '../../src/delivery/alarm'
import { deadLetterId } from '../../src/delivery/dead-letters'
import { ledger } from '../../src/delivery/ledger'
import { threadCoordinator } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import { addFault, deliver, openEvent, replyEvent, ticketsTagged, uniqueTag } from './sim'

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE

afterEach(() => {
  vi.useRealTimers()
})

function inboxOf(thread: string) {
  return runInDurableObject(threadCoordinator(env, 'events', thread), (_, state) =>
    new ThreadStore(state.storage).inbox(),
  )
}

describe('events waiting for their ticket', () => {
  it('are dead-lettered by the alarm when the thread never opens within the wait', async ({
    expect,
  }) => {
    const thread = uniqueTag('orphan')
    const reply = replyEvent({ thread, id: `${thread}:r1` }, 'Hello? Anyone?')
    const [outcome] = await deliver(thread, reply)
    const stub = threadCoordinator(env, 'events', thread)
    const alarm = await runInDurableObject(stub, (_, state) => state.storage.getAlarm())

    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 25 * HOUR)
    const ran = await runDurableObjectAlarm(stub)

    expect(outcome).toMatchObject({ outcome: 'pending' })
    expect(alarm! - reply.receivedAt).toBeGreaterThanOrEqual(24 * HOUR - 1_000)
    expect(ran).toBe(true)
    expect(await inboxOf(thread)).toEqual([])
    const id = await deadLetterId({ event: reply, deliveryId: `msg_${reply.id}` })
    vi.useRealTimers()
    const letter = await vi.waitFor(
      async () => {
        const found = await ledger(env).getDeadLetter(id)
        if (!found) throw new Error('not stored yet')
        return found
      },
      { timeout: 5_000 },
    )
    expect(letter).toMatchObject({
      reason: 'thread_never_opened',
      event: reply,
      deliveryId: `msg_${reply.id}`,
    })
  })

  it('keep waiting while the wait has not passed', async ({ expect }) => {
    const thread = uniqueTag('patient')
    await deliver(thread, replyEvent({ thread, id: `${thread}:r1` }, 'Hello?'))

    const ran = await runDurableObjectAlarm(threadCoordinator(env, 'events', thread))

    expect(ran).toBe(true)
    expect(await inboxOf(thread)).toMatchObject([{ owned: true, event: { id: `${thread}:r1` } }])
  })

  it('are retried by the alarm when Udesk fails them right after the ticket opens', async ({
    expect,
  }) => {
    const thread = uniqueTag('owned')
    const reply = replyEvent({ thread, id: `${thread}:r1` }, 'Sent before the ticket existed')
    await deliver(thread, reply)
    await addFault({
      path: '/tickets/agent_reply',
      match: reply.id,
      fault: { kind: 'http', status: 502 },
    })

    const [opened] = await deliver(thread, openEvent({ thread, id: `${thread}:open` }))
    const waiting = await inboxOf(thread)
    vi.useFakeTimers({ toFake: ['Date'] })
    // Past the first backoff (under DELIVERY_RETRY_BASE_SECONDS), within Udesk's signing window.
    vi.setSystemTime(Date.now() + 2 * MINUTE)
    await runDurableObjectAlarm(threadCoordinator(env, 'events', thread))

    expect(opened).toMatchObject({ outcome: 'applied' })
    expect(waiting).toMatchObject([{ owned: true, attempts: 1, event: { id: reply.id } }])
    expect(await inboxOf(thread)).toEqual([])
    const [ticket] = await ticketsTagged(thread)
    expect(ticket!.replies.map((r) => r.content.split('<br>')[0])).toEqual([
      'Sent before the ticket existed',
    ])
  })

  it('stay owned and get another alarm when dead-lettering them fails', async ({ expect }) => {
    const thread = uniqueTag('stranded')
    const reply = replyEvent({ thread, id: `${thread}:r1` }, 'Is anyone there?')
    await deliver(thread, reply)
    const stub = threadCoordinator(env, 'events', thread)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 25 * HOUR)

    const after = await runInDurableObject(stub, async (instance, state) => {
      const queue = (instance as unknown as { env: Env }).env.DEAD_LETTER_QUEUE
      // The dead-letter queue refuses the send once (overloaded, or down for a moment).
      vi.spyOn(queue, 'send').mockRejectedValueOnce(new Error('Queue send failed: overloaded'))
      await instance.alarm()
      return {
        alarm: await state.storage.getAlarm(),
        inbox: new ThreadStore(state.storage).inbox(),
      }
    })

    expect(after.inbox).toMatchObject([{ owned: true, event: { id: reply.id } }])
    expect(after.alarm).toBeGreaterThan(Date.now())
    expect(after.alarm).toBeLessThanOrEqual(Date.now() + ALARM_RETRY_BASE_MS)
    vi.setSystemTime(after.alarm! + 1)
    expect(await runDurableObjectAlarm(stub)).toBe(true)
    expect(await inboxOf(thread)).toEqual([])
  })
})

describe('nextAlarmAt', () => {
  const now = 1_700_000_000_000
  const row = (fields: { nextAt?: number; addedAt?: number; failed?: boolean }) => ({
    eventId: 'e',
    owned: true,
    failed: fields.failed ?? false,
    opener: false,
    nextAt: fields.nextAt ?? 0,
    addedAt: fields.addedAt ?? now,
  })
  const base = {
    hasTicket: true,
    awaitingCreate: false,
    pendingWaitMs: 24 * HOUR,
    failures: 0,
    now,
    random: 0.5,
  }

  it('rings at the earliest due event, and not at all when it owns nothing', ({ expect }) => {
    const owned = [row({ nextAt: now + 9_000 }), row({ nextAt: now + 4_000 })]

    expect(nextAlarmAt({ ...base, owned })).toBe(now + 4_000)
    expect(nextAlarmAt({ ...base, hasTicket: false, owned })).toBe(now + 24 * HOUR)
    expect(nextAlarmAt({ ...base, owned: [] })).toBeUndefined()
  })

  it('keeps a reply to its backoff, not its wait for an opener, while a create is in doubt', ({
    expect,
  }) => {
    const owned = [row({ nextAt: now + 60_000 })]

    expect(nextAlarmAt({ ...base, hasTicket: false, awaitingCreate: true, owned })).toBe(
      now + 60_000,
    )
  })

  it('rings to prune when the oldest kept record leaves the horizon', ({ expect }) => {
    expect(nextAlarmAt({ ...base, owned: [], pruneAt: now + HOUR })).toBe(now + HOUR)
  })

  it('rings at once for a given-up event still to dead-letter, later after failed alarms', ({
    expect,
  }) => {
    const owned = [row({ failed: true }), row({ nextAt: now + HOUR })]

    expect(nextAlarmAt({ ...base, owned })).toBe(now)
    expect(
      [1, 2, 3, 20].map((failures) => nextAlarmAt({ ...base, owned, failures })! - now),
    ).toEqual([2_500, 5_000, 10_000, 300_000])
  })
})
