import type { AlertmanagerSource, GrafanaSource } from '../config'
import { InvalidPayloadError } from '../errors'
import { concatBytes, sha256, toHex } from '../signatures/encoding'
import { ADAPTERS } from '../sources'
import { boundedKey } from '../sources/adapter'
import { grafanaPayloadKind } from '../sources/grafana'
import type { TicketEvent } from '../ticket-event'
import { authenticateAlert } from './alert-auth'
import type { Intake, IntakeRequest } from './intake'
import { acceptedMediaType } from './media-type'
import { parseJsonBody, parsePayload } from './payload'

/** Said to a Grafana that posts a custom payload template (Grafana 12's `payload.template`). */
export const GRAFANA_DEFAULT_PAYLOAD_NEEDED =
  "the bridge needs Grafana's default webhook payload: remove the contact point's custom " +
  'payload template (Optional Webhook settings > Custom Payload)'

/** A mark's thread part, in characters (`recentMarks` holds up to 10,000 marks). */
const MAX_MARKED_THREAD_CHARS = 96

/**
 * Alertmanager and Grafana post a group's alerts, authenticated as the source's `auth` says.
 * A notification has no id of its own; the exact redelivery of a group's last notification
 * (a sender's retry) to the isolate that queued it is answered duplicate for
 * `replayTtlSeconds`, and queued all the same: the thread's per-alert state decides what a
 * notification means, never a payload hash.
 */
export async function alertIntake(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
): Promise<Intake> {
  await authenticateAlert(request)
  acceptedMediaType(request.source.kind, request.contentType)
  const json = parseJsonBody(request.body)
  const bodyHash = toHex(await sha256(concatBytes(request.body))).slice(0, 32)
  const deliveryId = `${bodyHash.slice(0, 20)}-${request.receivedAt.toString(36)}`
  const context = { source: request.name, receivedAt: request.receivedAt, deliveryId }
  const events = adapt(request, json, context)
  const thread = events[0]?.thread
  if (!thread) return { kind: 'answer', outcome: 'ignored', body: { status: 'ignored' } }
  const replay = {
    // Bounded: the isolate keeps thousands (a hash collision would only mislabel a repeat).
    key: `mark:${request.name}:${boundedKey(thread, MAX_MARKED_THREAD_CHARS)}`,
    value: bodyHash,
    ttlSeconds: request.source.replayTtlSeconds,
  }
  return { kind: 'events', deliveryId, events, replay }
}

function adapt(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
  json: unknown,
  context: { source: string; receivedAt: number; deliveryId: string },
): TicketEvent[] {
  const config = request.source
  if (config.kind === 'alertmanager') {
    const payload = parsePayload(ADAPTERS.alertmanager.schema, json)
    return ADAPTERS.alertmanager.toEvents(payload, { ...context, config })
  }
  if (grafanaPayloadKind(json) === 'custom') {
    throw new InvalidPayloadError(GRAFANA_DEFAULT_PAYLOAD_NEEDED)
  }
  const payload = parsePayload(ADAPTERS.grafana.schema, json)
  return ADAPTERS.grafana.toEvents(payload, { ...context, config })
}
