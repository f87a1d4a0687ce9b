import { env } from 'cloudflare:workers'
import { vi } from 'vitest'
import type { DeliveryMessage } from '../../src/delivery/message'

/**
 * Watches what the route puts on DELIVERY_QUEUE. The real queue still receives everything (and
 * the real consumer delivers it to the simulator); the spy only records the batches.
 */
export function watchQueue() {
  const spy = vi.spyOn(env.DELIVERY_QUEUE, 'sendBatch')
  return {
    messages: (): DeliveryMessage[] =>
      spy.mock.calls.flatMap(([batch]) => [...batch].map((m) => m.body as DeliveryMessage)),
    /** The bodies as sent: a delivery message, or an alert storm's `{ eventRef, deliveryId }`. */
    sent: (): unknown[] => spy.mock.calls.flatMap(([batch]) => [...batch].map((m) => m.body)),
    /** Makes the next send fail, as an unavailable queue does. */
    failNext: () => spy.mockRejectedValueOnce(new Error('Queue send failed: internal error')),
  }
}

/** The replay record KV holds for an accepted delivery, or null. */
export function replayRecord(source: string, deliveryId: string) {
  return env.BRIDGE_KV.get(`replay:${source}:${deliveryId}`, 'json')
}

/**
 * Waits until KV holds every replay note the watched sends carried: the queue consumer writes
 * them when it first takes the messages (src/inbound/replay-filter.ts), not the route.
 */
export function notesWritten(queue: ReturnType<typeof watchQueue>) {
  const notes = queue.sent().flatMap((body) => {
    const note = (body as { remember?: { keys: string[]; value: string } }).remember
    return note ? [note] : []
  })
  if (notes.length === 0) throw new Error('the watched sends carried no replay note')
  return vi.waitFor(
    async () => {
      for (const { keys, value } of notes) {
        for (const key of keys) {
          if ((await env.BRIDGE_KV.get(key)) !== value) throw new Error(`${key} not written yet`)
        }
      }
    },
    { timeout: 5_000, interval: 20 },
  )
}

/** The replay record once KV holds it: the queue consumer writes it, not the route. */
export function rememberedRecord(source: string, deliveryId: string) {
  return vi.waitFor(
    async () => {
      const record = await replayRecord(source, deliveryId)
      if (record === null) throw new Error(`replay:${source}:${deliveryId} not written yet`)
      return record
    },
    { timeout: 5_000, interval: 20 },
  )
}
