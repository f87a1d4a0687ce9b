import * as z from '../zod'
import { ownValue, type Config } from '../config'
import type { SlackUser } from '../outbound/slack-schemas'
import type { Customer } from '../ticket-event'
import type { SlackSide } from './bot'

/** `slack:{team}:{user}`: the token a Slack customer is found by (src/sources/slack.ts). */
const SLACK_CUSTOMER_TOKEN = /^slack:([A-Z0-9]{1,40}):([A-Z0-9]{1,40})$/
/** The Udesk customer's name is at most this long (the bridge's CustomerSchema). */
const MAX_NAME_CHARS = 255
const EmailSchema = z.email()

/** Completes a customer the bridge is about to create in Udesk. */
export type CustomerEnricher = (customer: Customer) => Promise<Customer>

/**
 * For a Slack source with a bot token: the Slack user's real name and email (`users.info`,
 * scopes `users:read` and `users:read.email`), called only when Udesk does not know the
 * customer yet. Undefined when there is nothing to ask (another kind, or no bot token).
 */
export function slackProfileEnricher(
  slack: SlackSide | undefined,
  config: Config,
  source: string,
): CustomerEnricher | undefined {
  const bot = slack?.bot
  if (!bot || ownValue(config.SOURCES, source)?.kind !== 'slack') return undefined
  return async (customer) => {
    const user = SLACK_CUSTOMER_TOKEN.exec(customer.token ?? '')?.[2]
    if (!user || customer.email) return customer
    const found = await bot.client.userInfo(user)
    if (!found.ok) {
      // Never a reason to hold the ticket: the customer is created as before, by its token.
      const log = { msg: 'slack users.info failed', error: found.error, kind: found.kind, user }
      console.warn(JSON.stringify(log))
      return customer
    }
    return { ...customer, ...slackProfileFields(found.value) }
  }
}

/**
 * The name and email a Slack user shows (`profile.real_name`, else `real_name`, the display
 * name, the handle); the email only when Slack gave one (`users:read.email`) that is valid.
 */
export function slackProfileFields(user: SlackUser): Pick<Customer, 'name' | 'email'> {
  const profile = user.profile ?? {}
  const names = [profile.real_name, user.real_name, profile.display_name, user.name]
  const name = names.map((n) => n?.trim()).find((n) => n)
  const email = profile.email?.trim().toLowerCase()
  return {
    ...(name && { name: name.slice(0, MAX_NAME_CHARS) }),
    ...(email && EmailSchema.safeParse(email).success && { email }),
  }
}
