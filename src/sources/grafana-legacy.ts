import * as z from '../zod'
import { ownValue, type GrafanaSource } from '../config'
import type { AlertReport, TicketEvent } from '../ticket-event'
import {
  clip,
  clipChars,
  eventId,
  MAX_CONTENT_BYTES,
  MAX_SUBJECT_CHARS,
  sourceTicketOptions,
  threadKey,
  type AdapterContext,
} from './adapter'
import { labelString, ownLabel } from './alert-content'
import { absentWhenNull } from './alert-group'

const Tags = z.record(z.string(), z.string())

/** Grafana's legacy alerting webhook (up to Grafana 10 without unified alerting). */
export const GrafanaLegacyPayloadSchema = z.object({
  ruleName: z.string().check(z.minLength(1)),
  ruleId: absentWhenNull(z.int()),
  orgId: absentWhenNull(z.int()),
  dashboardId: absentWhenNull(z.int()),
  panelId: absentWhenNull(z.int()),
  state: z.enum(['alerting', 'ok', 'no_data', 'paused', 'pending']),
  title: absentWhenNull(z.string()),
  message: absentWhenNull(z.string()),
  ruleUrl: absentWhenNull(z.string()),
  imageUrl: absentWhenNull(z.string()),
  tags: z.pipe(
    z.nullish(Tags),
    z.transform((tags) => tags ?? {}),
  ),
  evalMatches: z.pipe(
    z.nullish(
      z.array(
        z.object({
          metric: z.string(),
          value: z.nullable(z.number()),
          tags: z.pipe(
            z.nullish(Tags),
            z.transform((tags) => tags ?? {}),
          ),
        }),
      ),
    ),
    z.transform((matches) => matches ?? []),
  ),
})
export type GrafanaLegacyPayload = z.infer<typeof GrafanaLegacyPayloadSchema>

/**
 * A legacy rule is one alert: `alerting` fires it, `no_data` fires it with a note that data is
 * missing, `ok` resolves it; `paused` and `pending` add nothing. Thread `{orgId}:{ruleId}`.
 */
export function grafanaLegacyToEvents(
  payload: GrafanaLegacyPayload,
  context: AdapterContext<GrafanaSource>,
): TicketEvent[] {
  if (payload.state === 'paused' || payload.state === 'pending') return []
  const status = payload.state === 'ok' ? 'resolved' : 'firing'
  const rule = payload.ruleId ?? payload.ruleName
  const report: AlertReport = { id: `rule:${rule}`, status, startsAt: context.receivedAt }
  if (status === 'resolved') report.endsAt = context.receivedAt
  const severity = ownLabel(payload.tags, 'severity')
  const priority = severity && ownValue(context.config.severityPriority, severity.toLowerCase())
  if (priority) report.priority = priority
  return [
    {
      id: eventId(context, 0),
      source: context.source,
      thread: threadKey(`${payload.orgId ?? 0}:${rule}`),
      receivedAt: context.receivedAt,
      type: 'alert',
      status,
      subject: clipChars(payload.ruleName, MAX_SUBJECT_CHARS),
      content: clip(legacyContent(payload), MAX_CONTENT_BYTES),
      sender: '',
      alerts: [report],
      ticket: sourceTicketOptions(context),
    },
  ]
}

function legacyContent(payload: GrafanaLegacyPayload): string {
  const lines = [`${payload.state.toUpperCase()}: ${payload.title ?? payload.ruleName}`]
  const id =
    payload.ruleId === undefined ? '' : ` (rule ${payload.ruleId}, org ${payload.orgId ?? 0})`
  lines.push(`Grafana legacy alert rule: ${payload.ruleName}${id}`)
  if (payload.state === 'no_data') {
    lines.push('', 'No data: the rule got no data from its query, so its state is unknown.')
  }
  if (payload.message) lines.push('', payload.message)
  for (const match of payload.evalMatches) {
    const tags = labelString(match.tags)
    lines.push(`  ${match.metric}${tags ? ` {${tags}}` : ''} = ${match.value ?? 'null'}`)
  }
  if (Object.keys(payload.tags).length > 0) lines.push('', `Tags: ${labelString(payload.tags)}`)
  if (payload.ruleUrl) lines.push(`Rule: ${payload.ruleUrl}`)
  if (payload.imageUrl) lines.push(`Image: ${payload.imageUrl}`)
  return lines.join('\n')
}
