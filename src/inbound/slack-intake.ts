import type { SlackSource } from '../config'
import { BadSignatureError } from '../errors'
import {
  SLACK_SIGNATURE_HEADER,
  SLACK_TIMESTAMP_HEADER,
  verifySlackSignature,
} from '../signatures/slack'
import { ADAPTERS } from '../sources'
import {
  slackClientMessageId,
  slackMessageIdentity,
  slackParentIdentity,
  type SlackPayload,
} from '../sources/slack'
import { botIdentity } from '../slack/bot-identity'
import { isOwnEvent } from '../slack/own-events'
import { slackCommandIntake } from './slack-command-intake'
import type { Intake, IntakeRequest } from './intake'
import { acceptedMediaType, URLENCODED } from './media-type'
import { bodyText, parseJsonBody, parsePayload } from './payload'
import { isReplay } from './replay-filter'

/**
 * Slack Events API, and slash commands on the same URL. Slack retries a delivery it thinks
 * failed with `X-Slack-Retry-Num` and the same `event_id`, and sometimes delivers one message
 * again under a new `event_id`, or twice as `message` and `app_mention`: a message's delivery
 * id is its identity (team, channel, ts), so each of these is an ordinary replay. A person's
 * message also carries the `client_msg_id` their Slack client gave it, kept as a second id:
 * Slack has been seen delivering one message twice as `message` events with different `ts`,
 * tens of seconds apart, under the same `client_msg_id` (one KV request reads both keys).
 */
export async function slackIntake(request: IntakeRequest<SlackSource>): Promise<Intake> {
  const verdict = await verifySlackSignature({
    secrets: request.secrets,
    timestamp: request.headers.get(SLACK_TIMESTAMP_HEADER),
    signature: request.headers.get(SLACK_SIGNATURE_HEADER),
    body: request.body,
    nowMs: request.receivedAt,
  })
  if (!verdict.ok) throw new BadSignatureError(verdict.reason)
  if (acceptedMediaType('slack', request.contentType) === URLENCODED) {
    return formPost(request, new URLSearchParams(bodyText(request.body)))
  }
  const json = parseJsonBody(request.body)
  // Envelope types added after this was written are answered 200 and left alone.
  if (isUnknownEnvelope(json)) return { kind: 'answer', outcome: 'ignored', body: IGNORED }
  const payload = parsePayload(ADAPTERS.slack.schema, json)
  // Slack checks the request URL by asking to be answered its challenge.
  if (payload.type === 'url_verification') {
    return { kind: 'answer', outcome: 'challenge', body: { challenge: payload.challenge } }
  }
  if (payload.type !== 'event_callback') {
    return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' } }
  }
  const deliveryId = slackMessageIdentity(payload) ?? payload.event_id
  const events = ADAPTERS.slack.toEvents(payload, {
    source: request.name,
    config: request.source,
    deliveryId,
    receivedAt: request.receivedAt,
    parentSeen: await parentSeen(request, payload),
  })
  if (events.length === 0) {
    return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' }, deliveryId }
  }
  // The bridge's own posts come back as events when it writes in a thread: never a reply.
  if (await isFromOwnBot(request, json)) {
    return { kind: 'answer', outcome: 'own_bot', body: IGNORED, deliveryId }
  }
  const alias = slackClientMessageId(payload)
  return { kind: 'events', deliveryId, events, ...(alias && { aliases: [alias] }) }
}

const IGNORED = { status: 'ignored' }
const ENVELOPES = new Set(['url_verification', 'event_callback', 'app_rate_limited'])

function isUnknownEnvelope(json: unknown): boolean {
  const type = typeof json === 'object' && json !== null && 'type' in json ? json.type : undefined
  return typeof type === 'string' && !ENVELOPES.has(type)
}

/**
 * Asked only of an event that would be queued (a bot's messages are ignored before, whoever
 * the bot): the envelope's own app first, then the bot's identity (`auth.test`, cached).
 */
async function isFromOwnBot(request: IntakeRequest, json: unknown): Promise<boolean> {
  if (isOwnEvent(json, undefined)) return true
  const bot = request.slackBot
  return bot !== undefined && isOwnEvent(json, await botIdentity(bot, request.kv))
}

/** Whether the bridge accepted the first message of the thread this reply is in. */
async function parentSeen(request: IntakeRequest, payload: SlackPayload) {
  const parent = slackParentIdentity(payload)
  return parent === undefined ? undefined : isReplay(request.kv, request.name, parent)
}

/**
 * Slack posts urlencoded only for slash commands and their `ssl_check` (a signed ping checking
 * the certificate, to be answered 200 with nothing done).
 */
function formPost(request: IntakeRequest<SlackSource>, params: URLSearchParams): Intake {
  if (params.get('ssl_check') === '1') {
    return { kind: 'answer', outcome: 'ssl_check', body: { status: 'ok' } }
  }
  if (params.has('command')) return slackCommandIntake(request, params)
  return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' } }
}
