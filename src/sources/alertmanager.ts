import * as z from '../zod'
import type { AlertmanagerSource } from '../config'
import type { TicketEvent } from '../ticket-event'
import type { AdapterContext } from './adapter'
import { AlertGroupFields, alertGroupToEvent, AlertSchema, alertThread } from './alert-group'

/** Alertmanager's webhook_config payload, version 4 (prometheus.io, "webhook_config"). */
export const AlertmanagerPayloadSchema = z.object({
  version: z.literal('4'),
  ...AlertGroupFields,
  alerts: z.array(AlertSchema).check(z.minLength(1)),
})
export type AlertmanagerPayload = z.infer<typeof AlertmanagerPayloadSchema>

/** One `alert` event per notification, on thread `{receiver}:{groupKey}` (+ `threadBy`). */
export function alertmanagerToEvents(
  payload: AlertmanagerPayload,
  context: AdapterContext<AlertmanagerSource>,
): TicketEvent[] {
  const thread = alertThread(`${payload.receiver}:${payload.groupKey}`, payload, context.config)
  return [alertGroupToEvent(payload, context, { sender: 'Alertmanager', thread })]
}
