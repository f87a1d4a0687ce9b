import type { Alert, AlertGroup } from './alert-group'

/** Alerts the ticket lists in full; the rest are counted ("and 1,988 more"). */
export const MAX_LISTED_ALERTS = 20

export interface AlertRendering<A extends Alert> {
  /** The sender's name in the content's second line. */
  sender: string
  /** Extra `label: url` lines per alert (Grafana's dashboard and silence links). */
  links?: (alert: A) => [string, string | undefined][]
  /** Lines before the alerts (Grafana legacy's missing-data note). */
  preface?: string[]
}

/** Plain text: the group's counts, its first alerts (firing first), and how many more. */
export function alertContent<A extends Alert>(
  group: AlertGroup & { alerts: A[] },
  r: AlertRendering<A>,
): string {
  const alerts: A[] = group.alerts
  const firing = alerts.filter((a) => a.status === 'firing')
  const resolved = alerts.filter((a) => a.status !== 'firing')
  const lines = [
    `${group.status.toUpperCase()}: ${firing.length} firing, ${resolved.length} resolved`,
    `${r.sender} receiver: ${group.receiver}`,
    `Group: ${group.groupKey}`,
  ]
  if (group.externalURL) lines.push(`Source: ${group.externalURL}`)
  if (r.preface) lines.push('', ...r.preface)
  const listed = [...firing, ...resolved].slice(0, MAX_LISTED_ALERTS)
  for (const alert of listed) lines.push('', ...alertLines(alert, r.links?.(alert) ?? []))
  const more = group.alerts.length - listed.length
  if (more > 0) lines.push('', `and ${more.toLocaleString('en-US')} more`)
  if ((group.truncatedAlerts ?? 0) > 0) {
    const n = (group.truncatedAlerts ?? 0).toLocaleString('en-US')
    lines.push('', `${n} more alerts were left out by the sender (truncatedAlerts, max_alerts).`)
  }
  return lines.join('\n')
}

function alertLines(alert: Alert, links: [string, string | undefined][]): string[] {
  const lines = [`[${alert.status}] ${ownLabel(alert.labels, 'alertname') ?? 'alert'}`]
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

/** A label's value when the sender set that label (never an inherited property). */
export function ownLabel(labels: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(labels, name) ? labels[name] : undefined
}

/** `name=value, ...` sorted by name. */
export function labelString(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
}
