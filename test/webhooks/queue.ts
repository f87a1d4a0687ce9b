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

/** The replay record the route keeps for an accepted delivery, or null. */
export function replayRecord(source: string, deliveryId: string) {
  return env.BRIDGE_KV.get(`replay:${source}:${deliveryId}`, 'json')
}

/** The replay record once KV holds it: the route writes it after answering (`waitUntil`). */
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
