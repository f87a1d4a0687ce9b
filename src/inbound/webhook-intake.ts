import type { WebhookSource } from '../config'
import { BadSignatureError, InvalidPayloadError } from '../errors'
import {
  verifyStandardWebhook,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '../signatures/standard-webhooks'
import { ADAPTERS } from '../sources'
import { isUsableDeliveryId, type Intake, type IntakeRequest } from './intake'
import { acceptedMediaType } from './media-type'
import { parseJsonBody, parsePayload } from './payload'

/** The bridge's own JSON, signed with Standard Webhooks; `webhook-id` is the delivery id. */
export async function webhookIntake(request: IntakeRequest<WebhookSource>): Promise<Intake> {
  const deliveryId = request.headers.get(WEBHOOK_ID_HEADER)
  const verdict = await verifyStandardWebhook({
    secrets: request.secrets,
    id: deliveryId,
    timestamp: request.headers.get(WEBHOOK_TIMESTAMP_HEADER),
    signature: request.headers.get(WEBHOOK_SIGNATURE_HEADER),
    body: request.body,
    nowMs: request.receivedAt,
  })
  if (!verdict.ok || !deliveryId) throw new BadSignatureError(verdict.ok ? 'no_id' : verdict.reason)
  acceptedMediaType('webhook', request.contentType)
  if (!isUsableDeliveryId(deliveryId)) {
    throw new InvalidPayloadError('webhook-id must be 1-200 printable ASCII characters')
  }
  const payload = parsePayload(ADAPTERS.webhook.schema, parseJsonBody(request.body))
  const events = ADAPTERS.webhook.toEvents(payload, {
    source: request.name,
    config: request.source,
    deliveryId,
    receivedAt: request.receivedAt,
  })
  return { kind: 'events', deliveryId, events }
}
