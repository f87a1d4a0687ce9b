import { storeFilesCarriedBy, takeReplayNote } from '../inbound/queue-message'
import { writeReplayNotes } from '../inbound/replay-filter'
import { logDelivery } from './log'
import type { DeliveryMessage } from './message'

/*
 * What the deliveries consumer writes to KV when it takes a message, for the edge: the edge's
 * one write is the queue send (inbound/accept.ts), and its message carries the rest.
 */

/**
 * Writes the replay notes of deliveries the edge accepted (inbound/replay-filter.ts), from each
 * message's first delivery only. A write KV refuses twice is logged: it costs at most a
 * redelivery answered 202 instead of 200, which the thread then drops.
 */
export async function rememberAccepted(kv: KVNamespace, messages: readonly Message<unknown>[]) {
  const notes = messages.flatMap((queued) => {
    const note = queued.attempts === 1 ? takeReplayNote(queued.body) : undefined
    return note ? [note] : []
  })
  if (notes.length === 0) return
  const failures = (await writeReplayNotes(kv, notes)).filter((err) => err !== undefined)
  if (failures.length === 0) return
  const line = {
    msg: 'replay keys not written',
    notes: failures.length,
    error: String(failures[0]),
  }
  console.error(JSON.stringify(line))
}

/**
 * Puts the small files a form's message carried into KV, where delivery reads them (inbound/
 * attachments.ts). False when KV failed: the message is retried, not delivered without them.
 */
export async function storeFilesOf(
  kv: KVNamespace,
  queued: Message<unknown>,
  message: DeliveryMessage,
) {
  try {
    await storeFilesCarriedBy(kv, queued.body, message.event)
    return true
  } catch (err) {
    queued.retry({ delaySeconds: 5 })
    logDelivery(message, {
      attempt: queued.attempts,
      outcome: 'retry',
      delaySeconds: 5,
      errorCode: 'files_not_stored',
      error: String(err),
    })
    return false
  }
}
