import type { WebhookSource } from '../config'
import { BadSignatureError } from '../errors'
import { standardWebhookHeaders, verifyStandardWebhook } from '../signatures/standard-webhooks'
import { ADAPTERS } from '../sources'
import type { Intake, IntakeRequest } from './intake'
import { acceptedMediaType } from './media-type'
import { parseJsonBody, parsePayload } from './payload'

/**
 * The bridge's own JSON, signed with Standard Webhooks (`webhook-*` or Svix's `svix-*`
 * headers); the message id is the delivery id.
 */
export async function webhookIntake(request: IntakeRequest<WebhookSource>): Promise<Intake> {
  const { id: deliveryId, timestamp, signature } = standardWebhookHeaders(request.headers)
  const verdict = await verifyStandardWebhook({
    secrets: request.secrets,
    id: deliveryId,
    timestamp,
    signature,
    body: request.body,
    nowMs: request.receivedAt,
  })
  if (!verdict.ok || !deliveryId) throw new BadSignatureError(verdict.ok ? 'no_id' : verdict.reason)
  acceptedMediaType('webhook', request.contentType)
  const payload = parsePayload(ADAPTERS.webhook.schema, parseJsonBody(request.body))
  const events = ADAPTERS.webhook.toEvents(payload, {
    source: request.name,
    config: request.source,
    deliveryId,
    receivedAt: request.receivedAt,
  })
  return { kind: 'events', deliveryId, events }
}
