import type { Priority } from '../ticket-event'

/** What the bridge knows of one alert of a group, keyed by its identity (fingerprint). */
export interface AlertRecord {
  status: 'firing' | 'resolved'
  /** The alert's own start, ms since epoch. */
  startsAt: number
  /** When it ended (resolved only), ms since epoch; a re-fire keeps it in `lastEndsAt`. */
  endsAt?: number
  /** The latest end the bridge applied: a resolved of that end or older is stale. */
  lastEndsAt?: number
  /** Its severity's priority; unset when the severity is unknown (the source default then). */
  priority?: Priority
  /** The reporting sender instance (`externalURL`, '' when none). */
  sender: string
  /** When the bridge received the notification that last changed it, ms since epoch. */
  at: number
}

/** One alert as a notification reports it (`AlertEvent.alerts`). */
export interface AlertReport {
  id: string
  status: 'firing' | 'resolved'
  startsAt: number
  endsAt?: number
  priority?: Priority
}

/** Where and when a notification came from. */
export interface ReportOrigin {
  sender: string
  receivedAt: number
  /** How long after a recorded end another sender may still send a stale firing, in ms. */
  haWindowMs: number
}

/**
 * The rule for one alert, in the alerts' own time (README "Alert state and HA peers"):
 * - a firing after a recorded end is a re-fire (it reopens), whatever its `startsAt`, unless it
 *   is stale: it started before that end, and either the bridge received it before the end, or
 *   another sender (`externalURL`) sent it within `haWindowMs` after the end (an HA peer that
 *   had not yet heard of the resolve; one Alertmanager never contradicts itself out of order);
 * - a resolved ends the alert unless it is stale: it ends an end already applied, an earlier
 *   incident (it started before the firing on record), or the bridge received it before the
 *   firing on record.
 * Returns the record unchanged (the same object) when the report changes nothing.
 */
export function mergeAlert(
  record: AlertRecord | undefined,
  report: AlertReport,
  origin: ReportOrigin,
): AlertRecord {
  const base = { sender: origin.sender, at: origin.receivedAt, priority: report.priority }
  if (report.status === 'firing') {
    if (!record) return { status: 'firing', startsAt: report.startsAt, ...base }
    if (record.status === 'firing') return updatedFiring(record, report, origin)
    if (isStaleFiring(record, report, origin)) return record
    const { endsAt: lastEndsAt } = record
    return { status: 'firing', startsAt: report.startsAt, lastEndsAt, ...base }
  }
  const endsAt = report.endsAt ?? origin.receivedAt
  const resolved = { status: 'resolved' as const, startsAt: report.startsAt, endsAt, ...base }
  if (!record) return { ...resolved, lastEndsAt: endsAt }
  if (isStaleResolve(record, report, endsAt, origin)) return record
  return { ...resolved, lastEndsAt: Math.max(endsAt, record.lastEndsAt ?? 0) }
}

function updatedFiring(record: AlertRecord, report: AlertReport, origin: ReportOrigin) {
  if (origin.receivedAt < record.at) return record
  if (record.priority === report.priority && record.startsAt >= report.startsAt) return record
  const startsAt = Math.max(record.startsAt, report.startsAt)
  return { ...record, startsAt, priority: report.priority, at: origin.receivedAt }
}

function isStaleFiring(record: AlertRecord, report: AlertReport, origin: ReportOrigin): boolean {
  const endsAt = record.endsAt ?? record.at
  if (report.startsAt > endsAt) return false
  if (origin.receivedAt < record.at) return true
  return origin.sender !== record.sender && origin.receivedAt - record.at <= origin.haWindowMs
}

function isStaleResolve(
  record: AlertRecord,
  report: AlertReport,
  endsAt: number,
  origin: ReportOrigin,
): boolean {
  if (record.lastEndsAt !== undefined && endsAt <= record.lastEndsAt) return true
  if (report.startsAt < record.startsAt) return true
  return origin.receivedAt < record.at
}
