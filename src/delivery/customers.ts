import { plainLabel } from '../content/render'
import type { Customer } from '../ticket-event'
import { UdeskError, type CustomerLookup, type UdeskClient } from '../udesk/client'

/** Udesk keeps customers; a month-old cache entry is still almost always right. */
export const CUSTOMER_CACHE_TTL_S = 30 * 24 * 3600

/** How the bridge finds a person in Udesk: the first of email, phone, external token. */
export function customerLookup(customer: Customer | undefined): CustomerLookup | undefined {
  if (customer?.email) return { type: 'email', content: customer.email }
  if (customer?.phone) return { type: 'cellphone', content: customer.phone }
  if (customer?.token) return { type: 'customer_token', content: customer.token }
  return undefined
}

export function customerCacheKey(lookup: CustomerLookup): string {
  return `customer:${lookup.type}:${lookup.content}`
}

/**
 * Makes sure Udesk has the customer a ticket will name: the KV cache first (a second
 * submission of the same person costs no Udesk call), then `get_customer`, then a create. Every
 * branch is safe to repeat after a lost answer: a create is always preceded by a lookup.
 */
export async function ensureCustomer(
  client: UdeskClient,
  kv: KVNamespace,
  customer: Customer | undefined,
): Promise<CustomerLookup | undefined> {
  const lookup = customerLookup(customer)
  if (!lookup || !customer) return undefined
  const key = customerCacheKey(lookup)
  if ((await kv.get(key)) !== null) return lookup
  const found = await client.getCustomer(lookup)
  const id = found ? found.id : await createCustomer(client, customer, lookup)
  await kv.put(key, String(id), { expirationTtl: CUSTOMER_CACHE_TTL_S })
  return lookup
}

/** Forgets a cached customer that Udesk no longer knows (deleted or merged by an agent). */
export async function forgetCustomer(kv: KVNamespace, lookup: CustomerLookup): Promise<void> {
  await kv.delete(customerCacheKey(lookup))
}

async function createCustomer(
  client: UdeskClient,
  customer: Customer,
  lookup: CustomerLookup,
): Promise<number> {
  const name = customer.name ?? customer.email ?? customer.phone ?? customer.token
  try {
    const created = await client.createCustomer({
      email: customer.email,
      // Udesk shows the name unescaped: it carries no markup.
      nickName: name === undefined ? undefined : plainLabel(name),
      cellphones: customer.phone ? [customer.phone] : undefined,
      // Slack users and chat visitors: found later by `customer_token` (docs/udesk-api.md).
      webToken: customer.token,
    })
    return created.id
  } catch (err) {
    // Udesk refuses an email that already belongs to a customer: someone created it since
    // our lookup (another thread, an agent). Then it exists, which is all we need.
    if (!(err instanceof UdeskError) || err.kind !== 'udesk_code') throw err
    const existing = await client.getCustomer(lookup)
    if (!existing) throw err
    return existing.id
  }
}
