import type { IntakeConfig, SourceConfig } from '../config'
import type { SlackBot } from '../slack/bot'
import type { TicketEvent } from '../ticket-event'
import type { Acceptance } from './accept'

/** One authenticated-but-unread request, as every kind's intake receives it. */
export interface IntakeRequest<Source extends SourceConfig = SourceConfig> {
  /** The source's name (`:source`). */
  name: string
  source: Source
  /** The source's secrets (rotation: any of them may sign). */
  secrets: string[]
  config: IntakeConfig
  headers: Headers
  body: Uint8Array
  /**
   * The `Content-Type` header as sent (with a multipart boundary). Each intake checks it with
   * `acceptedMediaType`: signed kinds only once the request is authenticated.
   */
  contentType: string | null
  /** Request time, ms since epoch: the signatures' clock and the events' `receivedAt`. */
  receivedAt: number
  /** Where the replay filter remembers accepted deliveries (`BRIDGE_KV`). */
  kv: KVNamespace
  /** The bridge's own Slack bot, when `SLACK_BOT_TOKEN` is set: its events are ignored. */
  slackBot?: SlackBot
}

/**
 * An alert group's mark: `key` names the group, `value` is the hash of a notification. A
 * notification whose value the isolate last queued for `key`, within `ttlSeconds`, is its
 * sender's exact repeat (answered duplicate, and queued all the same).
 */
export interface ReplayMark {
  key: string
  value: string
  ttlSeconds: number
}

/**
 * What an intake decided: events to queue, an answer of its own, or a silent drop. `redirect`
 * is where a browser goes instead of the thank-you page (a form's allowed `_next`).
 */
export type Intake =
  | {
      kind: 'events'
      deliveryId: string
      events: TicketEvent[]
      files?: File[]
      /** Other ids the same delivery may arrive under (Slack's `client_msg_id`). */
      aliases?: string[]
      /** 200 bodies that replace the answers in docs/design.md (a Slack slash command's reply). */
      answers?: Record<Acceptance, Record<string, unknown>>
      /** A mark of the intake's own, instead of the delivery id's replay key (alerts). */
      replay?: ReplayMark
      /**
       * The delivery id is the bridge's own, new for this request (a form post with no id of
       * its own): no sender can repeat it, so there is nothing to look up or remember.
       */
      unrepeatable?: true
      redirect?: string | undefined
    }
  /** A 200 that queues nothing (Slack's challenge, ignored events). */
  | { kind: 'answer'; outcome: string; body: Record<string, unknown>; deliveryId?: string }
  /** Honeypot filled: answered exactly like an accepted submission. */
  | { kind: 'honeypot'; deliveryId: string; redirect?: string | undefined }
  /** A delivery already accepted, recognised before the costly checks (Turnstile). */
  | { kind: 'duplicate'; deliveryId: string; redirect?: string | undefined }

export type Intaker<Source extends SourceConfig> = (
  request: IntakeRequest<Source>,
) => Promise<Intake>

export { isUsableDeliveryId, MAX_DELIVERY_ID_CHARS } from './delivery-id'
