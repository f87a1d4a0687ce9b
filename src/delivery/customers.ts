import { isPhoneNumber } from '../content/phone'
import { visibleLabel } from '../content/render'
import { utf8Length } from '../sources/adapter'
import type { CustomerEnricher } from '../slack/slack-profile'
import type { Customer } from '../ticket-event'
import type { CreateCustomerInput } from '../udesk/inputs'
import { UdeskError, type CustomerLookup, type UdeskClient } from '../udesk/client'

/** Udesk keeps customers; a month-old cache entry is still almost always right. */
export const CUSTOMER_CACHE_TTL_S = 30 * 24 * 3600
/** Cloudflare KV's key limit, in UTF-8 bytes. */
const MAX_KV_KEY_BYTES = 512

/**
 * How the bridge finds a person in Udesk: the first of email, phone, external token. Emails
 * are trimmed and lowercased, so `Jane@Example.com` and `jane@example.com ` are one customer.
 */
export function customerLookup(customer: Customer | undefined): CustomerLookup | undefined {
  const email = customer?.email?.trim().toLowerCase()
  if (email) return { type: 'email', content: email }
  if (customer?.phone && isPhoneNumber(customer.phone))
    return { type: 'cellphone', content: customer.phone }
  if (customer?.token) return { type: 'customer_token', content: customer.token }
  return undefined
}

/**
 * The customer's KV cache key, within KV's 512-byte limit whatever the sender wrote: a long
 * identifier is replaced by its SHA-256 (hex), so no sender can make the key unusable.
 */
export async function customerCacheKey(lookup: CustomerLookup): Promise<string> {
  const key = `customer:${lookup.type}:${lookup.content}`
  if (utf8Length(key) <= MAX_KV_KEY_BYTES) return key
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(lookup.content))
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `customer:${lookup.type}:sha256:${hex}`
}

/**
 * Makes sure Udesk has the customer a ticket will name: the KV cache first (a second
 * submission of the same person costs no Udesk call), then `get_customer`, then a create. Every
 * branch is safe to repeat after a lost answer: a create is always preceded by a lookup.
 * `enrich` completes a customer only when it is about to be created (a Slack user's name and
 * email): a returning customer costs it nothing, and it never changes how one is looked up.
 */
export async function ensureCustomer(
  client: UdeskClient,
  kv: KVNamespace,
  customer: Customer | undefined,
  enrich?: CustomerEnricher,
): Promise<CustomerLookup | undefined> {
  const lookup = customerLookup(customer)
  if (!lookup || !customer) return undefined
  const key = await customerCacheKey(lookup)
  if ((await kv.get(key)) !== null) return lookup
  const found = await client.getCustomer(lookup)
  const id = found
    ? found.id
    : await createCustomer(client, (await enrich?.(customer)) ?? customer, lookup)
  await kv.put(key, String(id), { expirationTtl: CUSTOMER_CACHE_TTL_S })
  return lookup
}

/** Forgets a cached customer that Udesk no longer knows (deleted or merged by an agent). */
export async function forgetCustomer(kv: KVNamespace, lookup: CustomerLookup): Promise<void> {
  await kv.delete(await customerCacheKey(lookup))
}

/**
 * Creates the customer. Udesk refuses a create whose email, phone or token already belongs to
 * a customer ("Validation failed: Cellphone has already been taken"). When the identifier we
 * look people up by is the one taken, someone created this customer since our lookup: it
 * exists, which is all we need. When another one is taken (a shared switchboard or family
 * phone, a Slack user's email that an agent already gave another customer), the customer is
 * created without the extra identifiers: a phone or an email never blocks a ticket. A refusal
 * that remains keeps Udesk's detail.
 */
async function createCustomer(
  client: UdeskClient,
  customer: Customer,
  lookup: CustomerLookup,
): Promise<number> {
  const full = customerInput(customer, lookup)
  try {
    return (await client.createCustomer(full)).id
  } catch (err) {
    if (!(err instanceof UdeskError) || err.kind !== 'udesk_code') throw err
    const existing = await client.getCustomer(lookup)
    if (existing) return existing.id
    const bare = customerInput(customer, lookup, { onlyLookup: true })
    if (JSON.stringify(bare) === JSON.stringify(full)) throw err
    return (await client.createCustomer(bare)).id
  }
}

/** The first candidate with a visible label (Udesk refuses a blank nick_name), else `customer`. */
function nickName(candidates: (string | undefined)[]): string {
  for (const candidate of candidates) {
    const label = visibleLabel(candidate)
    if (label) return label
  }
  return 'customer'
}

function customerInput(
  customer: Customer,
  lookup: CustomerLookup,
  { onlyLookup = false } = {},
): CreateCustomerInput {
  const keep = (type: CustomerLookup['type']) => !onlyLookup || lookup.type === type
  // An email beside another identifier (a Slack user's, from users.info) is an extra one.
  const extraEmail = onlyLookup ? undefined : customer.email?.trim().toLowerCase()
  const email = lookup.type === 'email' ? lookup.content : extraEmail || undefined
  const phone =
    keep('cellphone') && customer.phone && isPhoneNumber(customer.phone)
      ? customer.phone
      : undefined
  const token = keep('customer_token') ? customer.token : undefined
  return {
    email,
    // Udesk shows the name unescaped: it carries no markup.
    nickName: nickName([customer.name, email, customer.phone, customer.token]),
    cellphones: phone ? [phone] : undefined,
    // Slack users and chat visitors: found later by `customer_token` (docs/udesk-api.md).
    webToken: token,
  }
}
