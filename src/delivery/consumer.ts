import { loadConfig, type Config } from '../config'
import { loadQueuedMessage } from '../inbound/queue-message'
import type * as z from '../zod'
import { deadLetter, sendDeadLetter, unreadableLetter } from './dead-letters'
import { countStats } from './stats'
import { rememberAccepted, storeFilesOf } from './first-take'
import { logDelivery } from './log'
import { DeliveryMessageSchema, type DeliveryMessage } from './message'
import { backoffDelayMs, classifyFailure, toDelaySeconds } from './retry-policy'
import { threadCoordinator, type DeliveryItem, type DeliveryOutcome } from './thread-coordinator'

interface Parsed {
  queued: Message<unknown>
  message: DeliveryMessage
}

/**
 * The `udesk-bridge-deliveries` consumer. A batch is split by thread; each thread's events go
 * to its coordinator in one call (threads run side by side, a thread's events in order), and
 * every message is then acked, retried with backoff, or dead-lettered with its reason. Beside
 * that, the replay keys of newly accepted deliveries are written (`rememberAccepted`).
 */
export async function handleDeliveries(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = loadConfig(env)
  const remembered = rememberAccepted(env.BRIDGE_KV, batch.messages)
  try {
    await deliverBatch(batch, env, config)
  } finally {
    await remembered
  }
}

async function deliverBatch(batch: MessageBatch<unknown>, env: Env, config: Config) {
  const groups = new Map<string, Parsed[]>()
  for (const queued of batch.messages) {
    // An alert storm's event travels by reference (inbound/queue-message.ts).
    const body = await loadQueuedMessage(env.BRIDGE_KV, queued.body)
    if (body === undefined) {
      queued.retry({ delaySeconds: 10 }) // KV does not show the stored event here yet
      continue
    }
    const parsed = DeliveryMessageSchema.safeParse(body)
    if (!parsed.success) {
      // Only the bridge writes this queue; a body it cannot read is a bug to see, not retry:
      // it goes to the dead letters as it came, never acked away.
      await deadLetterUnreadable(env, queued, parsed.error.issues)
      continue
    }
    if (!(await storeFilesOf(env.BRIDGE_KV, queued, parsed.data))) continue
    const { source, thread } = parsed.data.event
    const key = `${source}\n${thread}`
    groups.set(key, [...(groups.get(key) ?? []), { queued, message: parsed.data }])
  }
  const retried = await Promise.all(
    [...groups.values()].map((group) => deliverGroup(env, config, group)),
  )
  const counts = { retried: 0, accepted: 0 }
  const bySource: Record<string, { retried: number; accepted: number }> = {}
  for (const [i, group] of [...groups.values()].entries()) {
    const mine = (bySource[group[0]!.message.event.source] ??= { retried: 0, accepted: 0 })
    // First deliveries are counted accepted here, not on the sender's request: the ack path
    // writes no shared state, and an anonymous sender cannot make the bridge write any.
    const accepted = group.filter(
      (p) => p.queued.attempts === 1 && !p.message.replay && !p.message.repeat,
    ).length
    for (const c of [counts, mine]) {
      c.retried += retried[i] ?? 0
      c.accepted += accepted
    }
  }
  await countStats(env, counts, batch.messages[0]?.id ?? '', bySource)
}

async function deadLetterUnreadable(
  env: Env,
  queued: Message<unknown>,
  issues: z.core.$ZodIssue[],
): Promise<void> {
  const letter = unreadableLetter(queued.body, issues, queued.attempts)
  const line = { msg: 'delivery', messageId: queued.id, issues: letter.issues }
  try {
    await sendDeadLetter(env, letter)
  } catch (err) {
    queued.retry({ delaySeconds: 5 })
    console.error(JSON.stringify({ ...line, outcome: 'retry', error: String(err) }))
    return
  }
  queued.ack()
  console.error(JSON.stringify({ ...line, outcome: 'dead_lettered', reason: letter.reason }))
}

/**
 * The thread coordinator counts an event's failed attempts itself (waiting for the rate limit
 * or behind an earlier event is no failure) and gives up at DELIVERY_MAX_ATTEMPTS. This cap on
 * queue deliveries is only the backstop for a coordinator that keeps failing as a whole; it
 * stays under `max_retries` in wrangler.toml so the consumer, not the platform, dead-letters.
 */
export const QUEUE_ATTEMPTS_CAP = 90

/** Returns how many messages were put back for a retry. */
async function deliverGroup(env: Env, config: Config, group: Parsed[]): Promise<number> {
  const first = group[0]!.message.event
  const items: DeliveryItem[] = group.map(({ queued, message }) => ({
    ...message,
    attempt: queued.attempts,
    final: queued.attempts >= QUEUE_ATTEMPTS_CAP,
  }))
  const started = Date.now()
  let outcomes: DeliveryOutcome[]
  try {
    outcomes = await threadCoordinator(env, first.source, first.thread).deliver(items)
  } catch (err) {
    // The coordinator itself failed (reset, overloaded): nothing is known to be applied.
    outcomes = group.map(({ queued, message }) => coordinatorFailed(config, queued, message, err))
  }
  const durationMs = Date.now() - started
  let retried = 0
  for (const [i, { queued, message }] of group.entries()) {
    const outcome = outcomes[i]
    if (!outcome) throw new Error(`no outcome for event ${message.event.id}`)
    retried += await settle(env, queued, message, outcome, durationMs)
  }
  return retried
}

function coordinatorFailed(
  config: Config,
  queued: Message<unknown>,
  message: DeliveryMessage,
  err: unknown,
): DeliveryOutcome {
  const { errorCode, error } = classifyFailure(err)
  const eventId = message.event.id
  if (queued.attempts >= QUEUE_ATTEMPTS_CAP) {
    return {
      eventId,
      outcome: 'failed',
      reason: 'max_attempts',
      attempts: queued.attempts,
      errorCode,
      error,
    }
  }
  const delayMs = backoffDelayMs({
    attempt: queued.attempts,
    random: Math.random(),
    baseMs: config.DELIVERY_RETRY_BASE_SECONDS * 1000,
    capMs: config.DELIVERY_RETRY_MAX_SECONDS * 1000,
  })
  return { eventId, outcome: 'retry', delayMs, errorCode, error }
}

async function settle(
  env: Env,
  queued: Message<unknown>,
  message: DeliveryMessage,
  outcome: DeliveryOutcome,
  durationMs: number,
): Promise<number> {
  const log = { attempt: queued.attempts, ticketId: outcome.ticketId, durationMs }
  if (outcome.outcome === 'retry') {
    const delaySeconds = toDelaySeconds(outcome.delayMs)
    queued.retry({ delaySeconds })
    const { errorCode, error } = outcome
    logDelivery(message, { ...log, outcome: 'retry', delaySeconds, errorCode, error })
    return 1
  }
  if (outcome.outcome !== 'failed') {
    queued.ack()
    logDelivery(message, { ...log, outcome: outcome.outcome })
    return 0
  }
  const { reason, attempts, errorCode, error } = outcome
  try {
    await sendDeadLetter(env, deadLetter(message, reason, attempts, error))
  } catch (err) {
    // Not acked until it is safely in the dead-letter queue: nothing is dropped silently.
    queued.retry({ delaySeconds: 5 })
    logDelivery(message, {
      ...log,
      outcome: 'retry',
      errorCode: 'dead_letter_send',
      error: String(err),
    })
    return 1
  }
  queued.ack()
  logDelivery(message, { ...log, outcome: 'dead_lettered', reason, errorCode, error })
  return 0
}
