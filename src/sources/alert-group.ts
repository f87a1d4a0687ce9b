import * as z from '../zod'
import { ownValue, type AlertmanagerSource, type GrafanaSource } from '../config'
import { MAX_ALERTS_PER_EVENT, type AlertEvent, type AlertReport } from '../ticket-event'
import {
  boundedKey,
  clip,
  clipChars,
  eventId,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  sourceTicketOptions,
  threadKey,
  type AdapterContext,
} from './adapter'
import { alertContent, labelString, ownLabel, type AlertRendering } from './alert-content'

/**
 * Labels and annotations as a Map-safe record: zod builds a fresh object, and keys such as
 * `__proto__` or `constructor` stay plain data (read with `ownLabel`, never `labels[name]`).
 */
const Labels = z.record(z.string(), z.string())
const Status = z.enum(['firing', 'resolved'])

/** A field a sender may send as `null` (Grafana does for empty values): null is absent. */
export function absentWhenNull<T extends z.ZodMiniType>(schema: T) {
  return z.pipe(
    z.nullish(schema),
    z.transform((value) => value ?? undefined),
  )
}

/** One alert as Alertmanager's webhook (v4) sends it; Grafana adds fields to it. */
export const AlertSchema = z.object({
  status: Status,
  labels: Labels,
  annotations: z.pipe(
    z.nullish(Labels),
    z.transform((value) => value ?? {}),
  ),
  startsAt: z.string().check(z.minLength(1)),
  endsAt: absentWhenNull(z.string()),
  generatorURL: absentWhenNull(z.string()),
  fingerprint: absentWhenNull(z.string()),
})
export type Alert = z.infer<typeof AlertSchema>

const nullableLabels = z.pipe(
  z.nullish(Labels),
  z.transform((value) => value ?? {}),
)

/** The group fields Alertmanager and Grafana share: the group's alerts each time. */
export const AlertGroupFields = {
  receiver: z.string(),
  status: Status,
  groupKey: z.string().check(z.minLength(1)),
  groupLabels: nullableLabels,
  commonLabels: nullableLabels,
  commonAnnotations: nullableLabels,
  externalURL: absentWhenNull(z.string()),
  truncatedAlerts: absentWhenNull(z.int().check(z.nonnegative())),
}
const AlertGroupSchema = z.object({
  ...AlertGroupFields,
  alerts: z.array(AlertSchema).check(z.minLength(1)),
})
export type AlertGroup = z.infer<typeof AlertGroupSchema> & { truncatedAlerts?: number }

/** An alert id's length: fingerprints are 16 hex digits; anything longer is hashed. */
const MAX_ALERT_ID_CHARS = 64

/** The alert's identity: its fingerprint, else a hash of its sorted labels. */
export function alertId(alert: Alert): string {
  if (alert.fingerprint) return boundedKey(alert.fingerprint, MAX_ALERT_ID_CHARS)
  return `labels:${labelsHash(labelString(alert.labels))}`
}

/** Two FNV-1a passes with different seeds: 16 hex digits, like a fingerprint. */
function labelsHash(text: string): string {
  const pass = (seed: number) => {
    let hash = seed
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
    return (hash >>> 0).toString(16).padStart(8, '0')
  }
  return pass(0x811c9dc5) + pass(0x01000193)
}

type AlertSource = AlertmanagerSource | GrafanaSource

/**
 * The thread: the sender's own group identity (`base`) plus the source's `threadBy` parts
 * (`externalURL`, or a label of the group), so clusters sharing receiver names stay apart.
 */
export function alertThread(base: string, group: AlertGroup, config: AlertSource): string {
  const parts = config.threadBy.map((name) =>
    name === 'externalURL'
      ? `externalURL=${group.externalURL ?? ''}`
      : `${name}=${ownLabel(group.groupLabels, name) ?? ownLabel(group.commonLabels, name) ?? ''}`,
  )
  return threadKey([base, ...parts].join('|'))
}

/** The notification as one `alert` event; the thread's coordinator merges and decides. */
export function alertGroupToEvent<A extends Alert>(
  group: AlertGroup & { alerts: A[] },
  context: AdapterContext<AlertSource>,
  rendering: AlertRendering<A> & { thread: string; test?: boolean },
): AlertEvent {
  const event: AlertEvent = {
    id: eventId(context, 0),
    source: context.source,
    thread: rendering.thread,
    receivedAt: context.receivedAt,
    type: 'alert',
    status: group.status,
    subject: clipChars(alertSubject(group), MAX_SUBJECT_CHARS),
    content: clip(alertContent(group, rendering), MAX_CONTENT_BYTES),
    sender: group.externalURL ?? '',
    alerts: trackedAlerts(group.alerts).map((alert) => alertReport(alert, context)),
    ticket: sourceTicketOptions(context, rendering.test ? { tags: ['test'] } : {}),
  }
  if (rendering.test) event.test = true
  return event
}

/**
 * The alerts whose state the thread keeps: all of them up to MAX_ALERTS_PER_EVENT, firing ones
 * first (a larger storm is still accepted; its content says how many alerts it has).
 */
function trackedAlerts<A extends Alert>(alerts: A[]): A[] {
  if (alerts.length <= MAX_ALERTS_PER_EVENT) return alerts
  const firing = alerts.filter((a) => a.status === 'firing')
  const resolved = alerts.filter((a) => a.status !== 'firing')
  return [...firing, ...resolved].slice(0, MAX_ALERTS_PER_EVENT)
}

function alertReport(alert: Alert, context: AdapterContext<AlertSource>): AlertReport {
  const startsAt = timeOr(alert.startsAt, context.receivedAt)
  const report: AlertReport = { id: alertId(alert), status: alert.status, startsAt }
  if (alert.status === 'resolved') report.endsAt = timeOr(alert.endsAt, context.receivedAt)
  const severity = ownLabel(alert.labels, 'severity')
  const priority = severity && ownValue(context.config.severityPriority, severity.toLowerCase())
  if (priority) report.priority = priority
  return report
}

/** An RFC 3339 time in ms; Go's zero time (`0001-01-01T00:00:00Z`) or garbage: `fallback`. */
function timeOr(text: string | undefined, fallback: number): number {
  const ms = text ? Date.parse(text) : NaN
  return Number.isFinite(ms) && ms > 0 ? ms : fallback
}

/** Alertname (or the names in the group) and the group labels, then a common summary. */
function alertSubject(group: AlertGroup): string {
  const common = ownLabel(group.commonLabels, 'alertname')
  const names = common
    ? [common]
    : [...new Set(group.alerts.map((a) => ownLabel(a.labels, 'alertname')).filter(Boolean))]
  const others = Object.entries(group.groupLabels).filter(([name]) => name !== 'alertname')
  const labels = labelString(Object.fromEntries(others))
  const title = [names.join(', ') || 'Alert', labels && `(${labels})`].filter(Boolean).join(' ')
  const summary = ownLabel(group.commonAnnotations, 'summary')
  return summary ? `${title}: ${summary}` : title
}
