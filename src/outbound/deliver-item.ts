import { ownValue } from '../config'
import { slackClientFor, type TwoWayConfig } from '../two-way-config'
import type { DeliveryResult, OutboxItem } from './outbox'
import { deliverToSlack, type SlackDeliveryOptions } from './slack-deliver'
import type { SlackClient } from './slack-out'
import { isSlackTs } from './slack-schemas'
import { attemptDelivery, retryDelayMs } from './webhook-attempt'
import type { WatchRecord, WatchStore } from './watch-store'
import { messageForAction, type OutboundMessage } from './webhook-out'

/** A thread's destination with what delivering to it needs. */
export type Target =
  | { kind: 'slack'; thread: string; slack: SlackClient; options: SlackDeliveryOptions }
  | {
      kind: 'webhook'
      thread: string
      url: string
      secrets: string[]
      /** The item's message as first built (kept by the watch), or undefined. */
      stored: OutboundMessage | undefined
      /** Keeps the message built on the first attempt, so retries send the same body. */
      keep: (message: OutboundMessage) => void
    }

/**
 * A Slack thread key (`{channel}:{ts}`, see `src/sources/slack.ts`) as the thread to post in;
 * undefined for a key that is none.
 */
export function slackThreadOf(thread: string) {
  const colon = thread.indexOf(':')
  const channel = thread.slice(0, colon)
  const threadTs = thread.slice(colon + 1)
  if (colon <= 0 || !isSlackTs(threadTs)) return undefined
  return { channel, threadTs }
}

/**
 * Where a watched thread's answers go now, with what delivering the head needs; undefined when
 * its source has no destination any more (two-way was switched off for it).
 */
export function targetFor(
  config: TwoWayConfig,
  record: WatchRecord,
  store: WatchStore,
): Target | undefined {
  const destination = ownValue(config.destinations, record.source)
  if (destination?.kind === 'webhook') {
    const head = record.outbox.items[0]
    return {
      kind: 'webhook',
      thread: record.thread,
      url: destination.url,
      secrets: destination.secrets,
      stored: head && store.message(head.id),
      keep: (message) => head && store.keepMessage(head.id, message),
    }
  }
  const slack = destination && slackClientFor(config)
  if (!slack) return undefined
  return { kind: 'slack', thread: record.thread, slack, options: config.slack }
}

/** Attempts the outbox head once, from the step it reached; the outbox decides what follows. */
export async function deliverItem(item: OutboxItem, target: Target): Promise<DeliveryResult> {
  if (target.kind === 'slack') {
    const thread = slackThreadOf(target.thread)
    if (!thread) return { ok: false, kind: 'rejected', steps: 0, error: 'not_a_slack_thread' }
    const progress = { from: item.steps, uncertain: item.uncertain }
    const result = await deliverToSlack(item.action, thread, target.slack, target.options, progress)
    return result.ok ? { ok: true } : result
  }
  const message = target.stored ?? messageForAction(item.action, target.thread, new Date())
  if (!target.stored) target.keep(message)
  const outcome = await attemptDelivery({
    url: target.url,
    message,
    secrets: target.secrets,
    nowMs: Date.now(),
  })
  if (outcome.kind === 'delivered') return { ok: true }
  // 410 Gone is the receiver's "stop sending": kept as a dead letter until someone acts.
  if (outcome.kind === 'gone') return { ok: false, kind: 'permanent', steps: 0, error: 'http_410' }
  const retryInMs = retryDelayMs(item.failures + 1, outcome.retryAfterMs) ?? 0
  return { ok: false, kind: 'transient', steps: 0, error: outcome.error, retryInMs }
}
