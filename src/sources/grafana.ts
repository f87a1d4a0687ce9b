import { z } from 'zod'
import type { GrafanaSource } from '../config'
import type { TicketEvent } from '../ticket-event'
import { threadKey, type AdapterContext } from './adapter'
import { AlertGroupFields, alertGroupToEvent, AlertSchema } from './alert-group'

export const GrafanaAlertSchema = AlertSchema.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  valueString: z.string().optional(),
  values: z.record(z.string(), z.number().nullable()).optional(),
})
export type GrafanaAlert = z.infer<typeof GrafanaAlertSchema>

/** Grafana alerting's webhook contact point: Alertmanager's shape plus Grafana's fields. */
export const GrafanaPayloadSchema = z.object({
  version: z.string().optional(),
  ...AlertGroupFields,
  alerts: z.array(GrafanaAlertSchema).min(1),
  orgId: z.number().optional(),
  title: z.string().optional(),
  state: z.string().optional(),
  message: z.string().optional(),
})
export type GrafanaPayload = z.infer<typeof GrafanaPayloadSchema>

/** One `alert` event per notification, on thread `{groupKey}`. */
export function grafanaToEvents(
  payload: GrafanaPayload,
  context: AdapterContext<GrafanaSource>,
): TicketEvent[] {
  const event = alertGroupToEvent(payload, context, {
    sender: 'Grafana',
    thread: threadKey(payload.groupKey),
    links: (alert: GrafanaAlert) => [
      ['Values', alertValues(alert)],
      ['Dashboard', alert.dashboardURL],
      ['Panel', alert.panelURL],
      ['Silence', alert.silenceURL],
    ],
  })
  return [event]
}

/** Newer Grafana sends `values` (query ref -> number), older a preformatted `valueString`. */
function alertValues(alert: GrafanaAlert): string | undefined {
  if (alert.values && Object.keys(alert.values).length > 0) {
    return Object.entries(alert.values)
      .map(([ref, value]) => `${ref}=${value}`)
      .join(', ')
  }
  return alert.valueString || undefined
}
