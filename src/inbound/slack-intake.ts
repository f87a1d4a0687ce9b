import type { SlackSource } from '../config'
import { BadSignatureError } from '../errors'
import {
  SLACK_SIGNATURE_HEADER,
  SLACK_TIMESTAMP_HEADER,
  verifySlackSignature,
} from '../signatures/slack'
import { ADAPTERS } from '../sources'
import type { Intake, IntakeRequest } from './intake'
import { acceptedMediaType, URLENCODED } from './media-type'
import { bodyText, parseJsonBody, parsePayload } from './payload'

/**
 * Slack Events API. Slack retries a delivery it thinks failed with `X-Slack-Retry-Num` and the
 * same `event_id`; the event id is the delivery id, so a retry is an ordinary replay.
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
  if (acceptedMediaType('slack', request.contentType) === URLENCODED) return formPost(request.body)
  const payload = parsePayload(ADAPTERS.slack.schema, parseJsonBody(request.body))
  // Slack checks the request URL by asking to be answered its challenge.
  if (payload.type === 'url_verification') {
    return { kind: 'answer', outcome: 'challenge', body: { challenge: payload.challenge } }
  }
  if (payload.type !== 'event_callback') {
    return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' } }
  }
  const deliveryId = payload.event_id
  const events = ADAPTERS.slack.toEvents(payload, {
    source: request.name,
    config: request.source,
    deliveryId,
    receivedAt: request.receivedAt,
  })
  if (events.length === 0) {
    return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' }, deliveryId }
  }
  return { kind: 'events', deliveryId, events }
}

/**
 * Slack posts urlencoded only for slash commands and their `ssl_check` (a signed ping checking
 * the certificate, to be answered 200). The bridge takes no commands: both are answered and
 * nothing is queued.
 */
function formPost(body: Uint8Array): Intake {
  const params = new URLSearchParams(bodyText(body))
  if (params.get('ssl_check') === '1') {
    return { kind: 'answer', outcome: 'ssl_check', body: { status: 'ok' } }
  }
  return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' } }
}
