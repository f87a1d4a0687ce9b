import * as z from '../zod'
import type { GrafanaSource } from '../config'
import type { TicketEvent } from '../ticket-event'
import type { AdapterContext } from './adapter'
import { ownLabel } from './alert-content'
import {
  absentWhenNull,
  AlertGroupFields,
  alertGroupToEvent,
  AlertSchema,
  alertThread,
} from './alert-group'
import { GrafanaLegacyPayloadSchema, grafanaLegacyToEvents } from './grafana-legacy'

/** Grafana sends `null` for any of these it has no value for (its Test button does). */
export const GrafanaAlertSchema = z.extend(AlertSchema, {
  silenceURL: absentWhenNull(z.string()),
  dashboardURL: absentWhenNull(z.string()),
  panelURL: absentWhenNull(z.string()),
  imageURL: absentWhenNull(z.string()),
  valueString: absentWhenNull(z.string()),
  values: absentWhenNull(z.record(z.string(), z.nullable(z.number()))),
})
export type GrafanaAlert = z.infer<typeof GrafanaAlertSchema>

/** Grafana unified alerting's webhook contact point: Alertmanager's shape plus Grafana's. */
export const GrafanaUnifiedPayloadSchema = z.object({
  version: absentWhenNull(z.string()),
  ...AlertGroupFields,
  alerts: z.array(GrafanaAlertSchema).check(z.minLength(1)),
  orgId: absentWhenNull(z.number()),
  title: absentWhenNull(z.string()),
  state: absentWhenNull(z.string()),
  message: absentWhenNull(z.string()),
})
export type GrafanaUnifiedPayload = z.infer<typeof GrafanaUnifiedPayloadSchema>

/** Either of Grafana's default webhook payloads: unified (9+) or legacy alerting (up to 10). */
export const GrafanaPayloadSchema = z.union([
  GrafanaUnifiedPayloadSchema,
  GrafanaLegacyPayloadSchema,
])
export type GrafanaPayload = z.infer<typeof GrafanaPayloadSchema>

/**
 * Which of Grafana's default payloads a body is, before it is parsed: a body that is neither
 * (a custom payload template, Grafana 12) is refused by the intake with a message saying so.
 */
export function grafanaPayloadKind(json: unknown): 'unified' | 'legacy' | 'custom' {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'custom'
  if (Object.hasOwn(json, 'alerts')) return 'unified'
  if (Object.hasOwn(json, 'ruleName') || Object.hasOwn(json, 'evalMatches')) return 'legacy'
  return 'custom'
}

/** One `alert` event per notification, on thread `{orgId}:{groupKey}` (+ `threadBy`). */
export function grafanaToEvents(
  payload: GrafanaPayload,
  context: AdapterContext<GrafanaSource>,
): TicketEvent[] {
  if (!('alerts' in payload)) return grafanaLegacyToEvents(payload, context)
  const base =
    payload.orgId === undefined ? payload.groupKey : `${payload.orgId}:${payload.groupKey}`
  const event = alertGroupToEvent(payload, context, {
    sender: 'Grafana',
    thread: alertThread(base, payload, context.config),
    test: payload.alerts.every(isTestAlert),
    links: (alert: GrafanaAlert) => [
      ['Values', alertValues(alert)],
      ['Dashboard', alert.dashboardURL],
      ['Panel', alert.panelURL],
      ['Silence', alert.silenceURL],
      ['Image', alert.imageURL],
    ],
  })
  return [event]
}

/**
 * Grafana's Test button sends one alert labelled `alertname=TestAlert, instance=Grafana`
 * (grafana/alerting, `newTestAlert`), whatever the receiver.
 */
function isTestAlert(alert: GrafanaAlert): boolean {
  const labels = alert.labels
  return ownLabel(labels, 'alertname') === 'TestAlert' && ownLabel(labels, 'instance') === 'Grafana'
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
