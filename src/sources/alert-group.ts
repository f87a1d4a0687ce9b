import { z } from 'zod'
import type { AlertmanagerSource, GrafanaSource } from '../config'
import { toHex, sha256, utf8 } from '../signatures/encoding'
import type { AlertEvent } from '../ticket-event'
import {
  boundedKey,
  clip,
  clipChars,
  eventId,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  sourceTicketOptions,
  type AdapterContext,
  utf8Length,
} from './adapter'

const Labels = z.record(z.string(), z.string())
const Status = z.enum(['firing', 'resolved'])

/** One alert as Alertmanager's webhook (v4) sends it; Grafana adds fields to it. */
export const AlertSchema = z.object({
  status: Status,
  labels: Labels,
  annotations: Labels.default({}),
  startsAt: z.string().min(1),
  endsAt: z.string().optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
})
export type Alert = z.infer<typeof AlertSchema>

/** The group fields Alertmanager and Grafana share: the whole group's state each time. */
export const AlertGroupFields = {
  receiver: z.string(),
  status: Status,
  groupKey: z.string().min(1),
  groupLabels: Labels.default({}),
  commonLabels: Labels.default({}),
  commonAnnotations: Labels.default({}),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().nonnegative().default(0),
}
const AlertGroupSchema = z.object({ ...AlertGroupFields, alerts: z.array(AlertSchema).min(1) })
type AlertGroup = z.infer<typeof AlertGroupSchema>

/** An alert key's length: the alerts list of a large group must still fit a queue message. */
const MAX_ALERT_KEY_CHARS = 128
/** What the alerts list and the content of one alert event share (the queue takes 128 KB). */
const MAX_ALERT_EVENT_BYTES = 110_000
/** The content a group too large for its alerts list plus full content still gets. */
const MIN_ALERT_CONTENT_BYTES = 2_000

/**
 * A firing alert is the same alert while fingerprint and startsAt stay; it ends with endsAt.
 * Labels stand in for a missing fingerprint, hashed when long.
 */
function alertKey(alert: Alert): string {
  const identity = alert.fingerprint ?? labelString(alert.labels)
  return boundedKey(`${identity}@${alert.startsAt}`, MAX_ALERT_KEY_CHARS)
}

/**
 * The delivery id of a notification: a repeat notification of the same group state (same
 * alerts, same status, same end times) hashes alike and is dropped as a replay.
 */
export async function alertGroupDeliveryId(group: AlertGroup): Promise<string> {
  const alerts = group.alerts
    .map((a) => `${alertKey(a)}${a.status === 'resolved' ? `~${a.endsAt ?? ''}` : ''}`)
    .sort()
  const identity = JSON.stringify([group.receiver, group.groupKey, group.status, alerts])
  return toHex(await sha256(utf8(identity))).slice(0, 32)
}

type AlertSource = AlertmanagerSource | GrafanaSource

export interface AlertRendering<A extends Alert> {
  /** The sender's name in the content's first line. */
  sender: string
  thread: string
  /** Extra `label: url` lines per alert (Grafana's dashboard and silence links). */
  links?: (alert: A) => [string, string | undefined][]
}

/** The full group as one `alert` event; the thread's coordinator compares it with the last. */
export function alertGroupToEvent<A extends Alert>(
  group: AlertGroup & { alerts: A[] },
  context: AdapterContext<AlertSource>,
  rendering: AlertRendering<A>,
): AlertEvent {
  const alerts = group.alerts.map((a) => ({ key: alertKey(a), status: a.status }))
  const room = MAX_ALERT_EVENT_BYTES - utf8Length(JSON.stringify(alerts))
  const contentBytes = Math.min(MAX_CONTENT_BYTES, Math.max(MIN_ALERT_CONTENT_BYTES, room))
  return {
    id: eventId(context, 0),
    source: context.source,
    thread: rendering.thread,
    receivedAt: context.receivedAt,
    type: 'alert',
    status: group.status,
    subject: clipChars(alertSubject(group), MAX_SUBJECT_CHARS),
    content: clip(alertContent(group, rendering), contentBytes),
    alerts,
    ticket: alertTicketOptions(group, context),
  }
}

/** Alertname (or the names in the group) and the group labels, then a common summary. */
function alertSubject(group: AlertGroup): string {
  const names = group.commonLabels.alertname
    ? [group.commonLabels.alertname]
    : [...new Set(group.alerts.map((a) => a.labels.alertname).filter(Boolean))]
  const { alertname: _, ...others } = group.groupLabels
  const labels = labelString(others)
  const title = [names.join(', ') || 'Alert', labels && `(${labels})`].filter(Boolean).join(' ')
  const summary = group.commonAnnotations.summary
  return summary ? `${title}: ${summary}` : title
}

function alertContent<A extends Alert>(group: AlertGroup & { alerts: A[] }, r: AlertRendering<A>) {
  const firing = group.alerts.filter((a) => a.status === 'firing').length
  const resolved = group.alerts.length - firing
  const lines = [
    `${group.status.toUpperCase()}: ${firing} firing, ${resolved} resolved`,
    `${r.sender} receiver: ${group.receiver}`,
    `Group: ${group.groupKey}`,
  ]
  if (group.externalURL) lines.push(`Source: ${group.externalURL}`)
  for (const alert of group.alerts) lines.push('', ...alertLines(alert, r.links?.(alert) ?? []))
  if (group.truncatedAlerts > 0) {
    lines.push('', `${group.truncatedAlerts} more alerts were left out by the sender (max_alerts).`)
  }
  return lines.join('\n')
}

function alertLines(alert: Alert, links: [string, string | undefined][]): string[] {
  const lines = [`[${alert.status}] ${alert.labels.alertname ?? 'alert'}`]
  lines.push(`  Labels: ${labelString(alert.labels) || '(none)'}`)
  const annotations = Object.entries(alert.annotations)
  if (annotations.length > 0) {
    lines.push('  Annotations:', ...annotations.map(([k, v]) => `    ${k}: ${v}`))
  }
  lines.push(`  Started: ${alert.startsAt}`)
  if (alert.status === 'resolved' && alert.endsAt) lines.push(`  Ended: ${alert.endsAt}`)
  if (alert.generatorURL) lines.push(`  Generator: ${alert.generatorURL}`)
  for (const [label, url] of links) if (url) lines.push(`  ${label}: ${url}`)
  return lines
}

/** `severity` of the group (or its first firing alert) picks the priority; config maps it. */
function alertTicketOptions(group: AlertGroup, context: AdapterContext<AlertSource>) {
  const severity =
    group.commonLabels.severity ??
    group.alerts.find((a) => a.status === 'firing' && a.labels.severity)?.labels.severity
  const priority = severity ? context.config.severityPriority[severity.toLowerCase()] : undefined
  return sourceTicketOptions(context, { priority })
}

function labelString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}
