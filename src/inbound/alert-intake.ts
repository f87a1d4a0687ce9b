import type { AlertmanagerSource, GrafanaSource } from '../config'
import { BadSignatureError } from '../errors'
import { verifyBearerToken } from '../signatures/bearer'
import { ADAPTERS } from '../sources'
import { alertGroupDeliveryId } from '../sources/alert-group'
import type { Intake, IntakeRequest } from './intake'
import { acceptedMediaType } from './media-type'
import { parseJsonBody, parsePayload } from './payload'

/**
 * Alertmanager and Grafana post the whole group's state with a bearer token. A notification
 * has no id of its own: it is the hash of its group state, so a repeat is a replay.
 */
export async function alertIntake(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
): Promise<Intake> {
  const verdict = await verifyBearerToken(request.headers.get('authorization'), request.secrets)
  if (!verdict.ok) throw new BadSignatureError(verdict.reason)
  acceptedMediaType(request.source.kind, request.contentType)
  const json = parseJsonBody(request.body)
  const context = { source: request.name, receivedAt: request.receivedAt }
  if (request.source.kind === 'alertmanager') {
    const payload = parsePayload(ADAPTERS.alertmanager.schema, json)
    const deliveryId = await alertGroupDeliveryId(payload)
    const config = request.source
    const events = ADAPTERS.alertmanager.toEvents(payload, { ...context, config, deliveryId })
    return { kind: 'events', deliveryId, events }
  }
  const payload = parsePayload(ADAPTERS.grafana.schema, json)
  const deliveryId = await alertGroupDeliveryId(payload)
  const config = request.source
  const events = ADAPTERS.grafana.toEvents(payload, { ...context, config, deliveryId })
  return { kind: 'events', deliveryId, events }
}
