import { DEFAULT_SLACK_API_URL } from '../outbound/slack-out'
import type { OpenEvent } from '../ticket-event'
import type { ApplyContext } from '../delivery/steps'
import { runStep } from '../delivery/steps'

/** Slack takes a command's follow-ups for 30 minutes (its docs, "Handling slash commands"). */
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000
/** Where Slack's response URLs live; anything else is never fetched. */
const SLACK_HOOKS_ORIGIN = 'https://hooks.slack.com'
const FOLLOW_UP_TIMEOUT_MS = 5000

/**
 * The command's `response_url` when it points at Slack: `https://hooks.slack.com/...`, or, in
 * development, the origin of a `SLACK_API_URL` other than Slack's (the simulator's double).
 * The URL came in a signed request, but it is still a URL a sender wrote: no other host, no
 * credentials in it, nothing but the origin compared.
 */
export function allowedResponseUrl(raw: string, apiUrl: string): URL | undefined {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (!url || url.username || url.password) return undefined
  const development = apiUrl !== DEFAULT_SLACK_API_URL && URL.canParse(apiUrl)
  const allowed = [SLACK_HOOKS_ORIGIN, ...(development ? [new URL(apiUrl).origin] : [])]
  return allowed.includes(url.origin) ? url : undefined
}

/**
 * After the ticket of a slash command exists: "Ticket #848 opened." to the caller alone, on the
 * command's `response_url` (the ticket's number is its `field_num`, one `GET /tickets/detail`).
 * Once per event (a step); a failure of any kind is logged and never holds the delivery.
 */
export async function followUpCommand(ctx: ApplyContext, event: OpenEvent): Promise<void> {
  const raw = event.slackResponseUrl
  const ticketId = ctx.store.state.ticketId
  if (raw === undefined || ticketId === undefined) return
  await runStep(ctx, event.id, 'command_follow_up', {
    run: async () => {
      const outcome = await followUp(ctx, raw, ticketId, event.receivedAt)
      if (outcome !== 'posted') {
        console.warn(JSON.stringify({ msg: 'slack command follow-up not posted', outcome }))
      }
      return outcome
    },
  })
}

/**
 * Where the follow-up goes, decided before anything is read or sent: nowhere when the URL is
 * not Slack's, or when Slack stopped taking follow-ups on it (30 minutes after the command).
 */
export function followUpTarget(
  raw: string,
  apiUrl: string,
  receivedAtMs: number,
  nowMs: number,
): { url: URL } | { skip: 'refused_url' | 'expired' } {
  const url = allowedResponseUrl(raw, apiUrl)
  if (!url) return { skip: 'refused_url' }
  return nowMs - receivedAtMs > RESPONSE_URL_LIFETIME_MS ? { skip: 'expired' } : { url }
}

async function followUp(ctx: ApplyContext, raw: string, ticketId: number, receivedAt: number) {
  const apiUrl = ctx.slack?.apiUrl ?? DEFAULT_SLACK_API_URL
  const target = followUpTarget(raw, apiUrl, receivedAt, Date.now())
  if ('skip' in target) return target.skip
  const { url } = target
  const number = await ticketNumber(ctx, ticketId)
  const text = number ? `Ticket ${number} opened.` : `Your ticket is open (Udesk id ${ticketId}).`
  const body = JSON.stringify({ response_type: 'ephemeral', replace_original: false, text })
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      // A redirect could lead anywhere: it counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(FOLLOW_UP_TIMEOUT_MS),
    })
    await response.body?.cancel()
    return response.ok ? 'posted' : `http_${response.status}`
  } catch (error) {
    return error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : 'network_error'
  }
}

/** `#848`, Udesk's ticket number, when it can be read. */
async function ticketNumber(ctx: ApplyContext, ticketId: number): Promise<string | undefined> {
  try {
    const ticket = await ctx.client.getTicket({ id: ticketId })
    const number = (ticket as { field_num?: unknown }).field_num
    if (typeof number === 'string' && /^#?\w{1,32}$/.test(number)) {
      return number.startsWith('#') ? number : `#${number}`
    }
  } catch {
    // The post matters more than the number.
  }
  return undefined
}
