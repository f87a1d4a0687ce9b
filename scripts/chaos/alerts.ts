import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PROJECT_ROOT } from '../wrangler-dev'
import { retryingPost, type SendReport } from './send'
import type { SimTicket, Verdict } from './verify'

/**
 * The fault test's alert groups, sent to the `alertmanager` source as Alertmanager sends them:
 * each group fires (two alerts) and later resolves, and every notification goes out two or
 * three times, byte for byte (a retry after a lost answer, an HA peer), some copies at once and
 * some after an answer. The edge answers those repeats from its memory only and queues them all
 * the same (src/inbound/accept.ts): what must hold is one ticket per group, resolved, with one
 * resolve note and no other.
 */
export interface PlannedGroup {
  /** The group's alertname: the ticket's subject. */
  name: string
  firing: string
  resolved: string
}

/** The README's development token of the `alertmanager` source (bearer). */
export const ALERTMANAGER_TOKEN = 'dev-alertmanager-token'

const fixture = (name: string) =>
  JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'test/fixtures/alertmanager', `${name}.json`), 'utf8'),
  ) as { alerts: { labels: Record<string, string> }[] } & Record<string, unknown>

export function planAlertGroups(runId: string, count: number): PlannedGroup[] {
  const [firing, resolved] = [fixture('firing'), fixture('resolved')]
  return Array.from({ length: count }, (_, g) => {
    // Of one length, so no group's name begins another's.
    const name = `ChaosAlert-${runId}-g${String(g).padStart(4, '0')}`
    return { name, firing: onGroup(firing, name), resolved: onGroup(resolved, name) }
  })
}

/** The fixture's notification on a group of its own (alertname and groupKey). */
function onGroup(payload: ReturnType<typeof fixture>, name: string): string {
  return JSON.stringify({
    ...payload,
    groupKey: `{}:{alertname="${name}"}`,
    groupLabels: { alertname: name },
    commonLabels: { ...(payload.commonLabels as object), alertname: name },
    alerts: payload.alerts.map((a) => ({ ...a, labels: { ...a.labels, alertname: name } })),
  })
}

/**
 * Sends every group: its firing copies, then (once its ticket is open in Udesk, as a resolve
 * comes minutes later) its resolved copies. `ticketOpen` asks the simulator; a group whose
 * ticket is not open by `deadline` (ms since epoch) is reported, its resolve unsent.
 */
export async function sendAlertGroups(
  bridgeUrl: string,
  groups: PlannedGroup[],
  how: {
    random: () => number
    ticketOpen: (name: string) => Promise<boolean>
    deadline: number
  },
  report: SendReport,
): Promise<void> {
  const { random, ticketOpen, deadline } = how
  const notify = async (id: string, body: string) => {
    const copies = random() < 0.5 ? 2 : 3
    const together = 1 + Math.floor(random() * copies)
    const post = () => retryingPost(() => postAlert(bridgeUrl, body), id, report)
    await Promise.all(Array.from({ length: together }, post))
    for (let i = together; i < copies; i++) await post()
  }
  await Promise.all(
    groups.map(async (group) => {
      await notify(`${group.name} firing`, group.firing)
      while (!(await ticketOpen(group.name))) {
        if (Date.now() > deadline) return void report.errors.push(`${group.name}: no ticket`)
        await new Promise((r) => setTimeout(r, 1_000))
      }
      await notify(`${group.name} resolved`, group.resolved)
    }),
  )
}

/**
 * Whether the simulator holds a ticket whose subject begins with a name: its tickets are read
 * at most once a second, however many groups ask.
 */
export function ticketOpenIn(control: <T>(path: string) => Promise<T>) {
  let read: { at: number; subjects: Promise<string[]> } | undefined
  return async (name: string) => {
    if (!read || Date.now() - read.at > 1_000) {
      const subjects = control<{ tickets: SimTicket[] }>('/state').then((state) =>
        state.tickets.map((t) => t.subject),
      )
      read = { at: Date.now(), subjects }
    }
    return (await read.subjects).some((subject) => subject.startsWith(name))
  }
}

function postAlert(bridgeUrl: string, body: string): Promise<Response> {
  return fetch(`${bridgeUrl}/webhooks/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ALERTMANAGER_TOKEN}` },
    body,
  })
}

const RESOLVE_NOTE = 'Resolved: every alert of the group has ended.'

/**
 * Adds each group's problems to `verdict`: its ticket, its status and its notes (exactly one,
 * the resolve's: a reopening, a content or priority note, a second resolve are duplicates).
 */
export function verifyAlertGroups(groups: PlannedGroup[], tickets: SimTicket[], verdict: Verdict) {
  for (const group of groups) {
    const problem = (lost: number, duplicated: number, text: string) => {
      verdict.lost += lost
      verdict.duplicated += duplicated
      verdict.problems.push(`${group.name}: ${text}`)
    }
    const mine = tickets.filter((t) => t.subject.startsWith(group.name))
    if (mine.length === 0) {
      problem(2, 0, 'no ticket')
      continue
    }
    if (mine.length > 1) problem(0, mine.length - 1, `${mine.length} tickets`)
    const notes = mine.flatMap((t) => t.replies.map((r) => r.content))
    const resolves = notes.filter((n) => n.startsWith(RESOLVE_NOTE)).length
    if (resolves === 0 || !mine.some((t) => t.status_en === 'resolved')) {
      problem(1, 0, `not resolved (status ${mine.map((t) => t.status_en).join(', ')})`)
    }
    if (resolves > 1) problem(0, resolves - 1, `resolved ${resolves} times`)
    // A group that fired once and resolved once has one note: any other is a repeat's.
    const others = notes.length - resolves
    if (others > 0) problem(0, others, `${others} notes besides the resolve's`)
  }
}
