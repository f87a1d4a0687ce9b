import { env, exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import { deadLetter, deadLetterId, sendDeadLetter } from '../../src/delivery/dead-letters'
import { ledger } from '../../src/delivery/ledger'
import type { AlertEvent } from '../../src/ticket-event'
import { watchQueue } from '../webhooks/queue'
import { ticketsTagged, uniqueTag } from './sim'

/** One Alertmanager group of 3,000 firing alerts: its event is over the queue's 128 KB. */
function stormEvent(tag: string): AlertEvent {
  const alerts = Array.from({ length: 3000 }, (_, n) => ({
    id: `${tag}-node-${String(n).padStart(5, '0')}-fingerprint`,
    status: 'firing' as const,
    startsAt: 1_700_000_000_000,
  }))
  return {
    type: 'alert',
    id: `${tag}:storm`,
    source: 'alertmanager',
    thread: tag,
    receivedAt: Date.now(),
    status: 'firing',
    subject: `[FIRING:3000] NodeDown ${tag}`,
    content: `3000 alerts firing (${tag})`,
    sender: 'http://alertmanager:9093',
    alerts,
  }
}

describe('an alert storm given up', () => {
  it('is a listed dead letter though the queue cannot carry it, and replays by reference', async ({
    expect,
  }) => {
    const tag = uniqueTag('storm-dlq')
    const message = { event: stormEvent(tag), deliveryId: `am_${tag}` }
    const letter = deadLetter(message, 'max_attempts', 20, 'POST /tickets: http_status: http 503')
    expect(JSON.stringify(letter).length).toBeGreaterThan(128 * 1024)

    await sendDeadLetter(env, letter)

    const id = await deadLetterId(message)
    expect(await ledger(env).getDeadLetter(id)).toMatchObject({ reason: 'max_attempts' })
    const queue = watchQueue()
    const response = await exports.default.fetch(
      `http://bridge.test/admin/dead-letters/${id}/replay`,
      { method: 'POST', headers: { authorization: 'Bearer dev-admin-token' } },
    )
    expect(await response.json()).toEqual({ replayed: 1 })
    expect(queue.sent()).toEqual([
      { eventRef: expect.stringMatching(/^event-ref:/), deliveryId: `am_${tag}` },
    ])
    await vi.waitFor(
      async () => {
        if ((await ticketsTagged(tag)).length !== 1) throw new Error('not delivered yet')
      },
      { timeout: 10_000 },
    )
  })
})
