import { env } from 'cloudflare:workers'
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, it } from 'vitest'
import { loadConfig } from '../../src/config'
import { threadCoordinator, type DeliveryItem } from '../../src/delivery/thread-coordinator'
import { ThreadStore } from '../../src/delivery/thread-store'
import type { AlertEvent } from '../../src/ticket-event'
import { addFault, deliver, openEvent, replyEvent, ticketsTagged, uniqueTag } from './sim'

/** A repeat notification of a firing group: Alertmanager sends one every repeat_interval. */
function repeat(group: string, n: number): AlertEvent {
  return {
    type: 'alert',
    id: `${group}:${n}`,
    source: 'alertmanager',
    thread: group,
    receivedAt: 1_700_000_000_000 + n,
    status: 'firing',
    subject: `[FIRING] DiskFull ${group}`,
    content: 'firing: disk /var on db-1',
    sender: 'http://alertmanager:9093',
    alerts: [{ id: 'fp-db-1', status: 'firing', startsAt: 1_700_000_000_000 }],
  }
}

function deliverAlerts(group: string, events: AlertEvent[]) {
  const items: DeliveryItem[] = events.map((event) => ({
    event,
    deliveryId: `am_${event.id}`,
    attempt: 1,
    final: false,
  }))
  return threadCoordinator(env, 'alertmanager', group).deliver(items)
}

function storageOf(source: string, thread: string) {
  return runInDurableObject(threadCoordinator(env, source, thread), (_, state) => {
    const store = new ThreadStore(state.storage)
    return { bytes: store.size(), state: store.state, oldest: store.oldestAppliedAt() }
  })
}

const BATCH = 100

describe('a thread that lives long', () => {
  it(
    'keeps its storage under a fixed size through 10,000 events',
    { timeout: 120_000 },
    async ({ expect }) => {
      const group = uniqueTag('repeats')
      const maxApplied = loadConfig(env).DELIVERY_APPLIED_MAX_RECORDS
      const sizes: number[] = []

      for (let start = 0; start < 10_000; start += BATCH) {
        const batch = Array.from({ length: BATCH }, (_, i) => repeat(group, start + i))
        await deliverAlerts(group, batch)
        if ((start + BATCH) % 2_500 === 0)
          sizes.push((await storageOf('alertmanager', group)).bytes)
      }

      expect(await ticketsTagged(group)).toHaveLength(1)
      const applied = await runInDurableObject(
        threadCoordinator(env, 'alertmanager', group),
        (_, state) =>
          state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM applied`).one().n,
      )
      expect(applied).toBe(maxApplied)
      // SQLite pages, the state included: a thousand short records, whatever the event count.
      // (about 170 KB here; 10,000 unpruned records take over a megabyte)
      expect(Math.max(...sizes)).toBeLessThan(256 * 1024)
      // It stopped growing: after 2,500 events as after 10,000.
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(32 * 1024)
      // The newest records still answer a redelivery as a duplicate.
      const [again] = await deliverAlerts(group, [repeat(group, 9_999)])
      expect(again).toMatchObject({ outcome: 'duplicate' })
    },
  )

  it('deletes a form submission thread once its ticket exists and its horizon passed', async ({
    expect,
  }) => {
    const thread = uniqueTag('form-once')
    const open = openEvent({ source: 'contact', thread, id: `${thread}:open` })
    await deliver(thread, open)
    const kept = await storageOf('contact', thread)
    // Its applied record ages past the one-shot horizon (a day).
    await runInDurableObject(threadCoordinator(env, 'contact', thread), (_, state) =>
      state.storage.sql.exec(`UPDATE applied SET at = at - ?`, 25 * 3600_000),
    )

    const rang = await runDurableObjectAlarm(threadCoordinator(env, 'contact', thread))

    expect(kept.state).toMatchObject({ oneShot: true, ticketId: expect.any(Number) })
    expect(rang).toBe(true)
    const left = await runInDurableObject(
      threadCoordinator(env, 'contact', thread),
      (_, state) =>
        [...state.storage.kv.list()].length +
        state.storage.sql
          .exec(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\'`,
          )
          .toArray().length,
    )
    expect(left).toBe(0)
  })
})

describe('a drain with a thousand waiting events', () => {
  it(
    'reads the rows it works on, never the whole inbox per step',
    { timeout: 60_000 },
    async ({ expect }) => {
      const thread = uniqueTag('backlog')
      await deliver(thread, openEvent({ thread, id: `${thread}:open` }))
      const filler = 'x'.repeat(8_000)
      const stub = threadCoordinator(env, 'events', thread)
      await addFault({
        match: `${thread}:r0000`,
        times: 10_000,
        fault: { kind: 'http', status: 503 },
      })
      await runInDurableObject(stub, (_, state) => {
        const store = new ThreadStore(state.storage)
        for (let i = 0; i < 1_000; i++) {
          const id = `${thread}:r${String(i).padStart(4, '0')}`
          const event = replyEvent({ thread, id }, filler)
          const row = { event, deliveryId: `d${i}`, attempts: 0, nextAt: 0, addedAt: Date.now() }
          store.putInbox({ ...row, owned: true })
        }
      })

      // One more message of the thread: its turn drains the backlog, head first.
      await deliver(thread, replyEvent({ thread, id: `${thread}:r9999` }, 'One more thing.'))

      const read = await runInDurableObject(stub, (instance) => {
        const store = (instance as unknown as { store: ThreadStore }).store
        const head = store.inboxRow(`${thread}:r0000`)
        return { chars: store.rows.charsRead, waiting: store.rows.count(), head }
      })
      expect(read.waiting).toBeGreaterThanOrEqual(1_000)
      expect(read.head?.lastError).toMatch(/http 503/)
      // The head row, read for the attempt that failed; nothing else of the 8 MB backlog.
      expect(read.chars).toBeLessThan(3 * 9_000)
    },
  )
})
