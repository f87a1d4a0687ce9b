import { env } from 'cloudflare:workers'
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { vi } from 'vitest'
import type { DeliveryMessage } from '../../src/delivery/message'
import worker from '../../src/index'
import type { TicketEvent } from '../../src/ticket-event'

export const QUEUE = 'udesk-bridge-deliveries'

type QueuedMessage<Body = unknown> = { id: string; timestamp: Date; attempts: number; body: Body }

/** A deliveries-queue message carrying `event`, as the platform hands it over. */
export function message(event: TicketEvent, attempts = 1) {
  const body: DeliveryMessage = { event, deliveryId: `wh_${event.id}` }
  return { id: `m-${event.id}`, timestamp: new Date(), attempts, body }
}

/**
 * Runs the worker's queue handler on a batch. getQueueResult reports acks and retries but not
 * the retry delay, so each message's `retry` (the platform's, not ours) is watched for it.
 */
export async function consume(...messages: QueuedMessage[]) {
  // A body of an earlier version's shape is still handed over as today's type.
  const batch = createMessageBatch<DeliveryMessage>(
    QUEUE,
    messages as QueuedMessage<DeliveryMessage>[],
  )
  const delays = batch.messages.map((m) => vi.spyOn(m, 'retry'))
  const ctx = createExecutionContext()
  await worker.queue(batch, env)
  const result = await getQueueResult(batch, ctx)
  const delaySeconds = delays.flatMap((spy) => spy.mock.calls.map(([o]) => o?.delaySeconds))
  return { ...result, delaySeconds }
}
