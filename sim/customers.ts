import type { Hono } from 'hono'
import { type SimEnv, isBlank, jsonBody } from './context'
import { SUCCESS, fail } from './errors'
import { customerJson } from './format'
import type { Customer, SimInstance } from './state'
import { CUSTOMER_TYPES, findCustomer, isEmail, tooLong } from './ticket-rules'

type Input = Record<string, unknown>

/**
 * Customers as docs/udesk-api.md describes them: `POST /customers` and
 * `GET /customers/get_customer?type=...&content=...`. Email, phone and web_token are unique.
 */
export function registerCustomerRoutes(api: Hono<SimEnv>): void {
  api.post('/customers', (c) => {
    const customer = createCustomer(c.get('sim'), jsonBody(c)?.customer)
    return c.json({ code: SUCCESS, message: 'success', customer: customerJson(customer) })
  })

  api.get('/customers/get_customer', (c) => {
    const type = c.req.query('type')
    const content = c.req.query('content')
    if (!(CUSTOMER_TYPES as readonly unknown[]).includes(type)) throw fail('customerTypeError')
    const customer = isBlank(content) ? undefined : findCustomer(c.get('sim'), type!, content!)
    if (!customer) throw fail('notFound', `Couldn't find Customer with ${type}=${content ?? ''}`)
    return c.json({ code: SUCCESS, message: 'success', customer: customerJson(customer) })
  })
}

function createCustomer(sim: SimInstance, input: unknown): Customer {
  if (typeof input !== 'object' || input === null || Object.keys(input).length === 0) {
    throw fail('customerObjectEmpty')
  }
  const body = input as Input
  if (isBlank(body.nick_name)) throw fail('nickNameEmpty')
  for (const field of ['nick_name', 'email', 'web_token']) {
    const error = tooLong(field, body[field])
    if (error) throw error
  }
  const email = isBlank(body.email) ? null : String(body.email)
  if (email !== null && !isEmail(email))
    throw fail('unknown', 'Validation failed: Email is invalid')
  const phones = cellphonesOf(body.cellphones)
  const webToken = isBlank(body.web_token) ? null : String(body.web_token)
  if (email !== null && findCustomer(sim, 'email', email)) {
    throw fail('unknown', 'Validation failed: Email has already been taken')
  }
  if (phones.some((phone) => findCustomer(sim, 'cellphone', phone))) {
    throw fail('unknown', 'Validation failed: Cellphone has already been taken')
  }
  if (webToken !== null && findCustomer(sim, 'customer_token', webToken)) {
    throw fail('unknown', 'Validation failed: Web token has already been taken')
  }
  const now = sim.now()
  const id = sim.next('customer')
  const customer: Customer = {
    id,
    email,
    nickName: String(body.nick_name),
    cellphones: phones.map((content, i) => ({ id: id * 100 + i, content })),
    webToken,
    description: isBlank(body.description) ? null : String(body.description),
    createdAt: now,
    updatedAt: now,
  }
  sim.customers.set(id, customer)
  return customer
}

/** `cellphones: [[null, "+15550100"]]`: pairs of (phone id, number); new phones have no id. */
function cellphonesOf(value: unknown): string[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw fail('unknown', 'cellphones is not an array format')
  const phones = value.map((pair: unknown) => (Array.isArray(pair) ? pair[1] : undefined))
  if (phones.some((p) => typeof p !== 'string' || p.trim() === '')) {
    throw fail('unknown', 'cellphones must be [[null, "phone number"], ...]')
  }
  return phones as string[]
}
