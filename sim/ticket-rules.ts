import { CUSTOM_FIELDS, PRIORITIES, findAgent } from './catalog'
import { intValue, isBlank } from './context'
import { type UdeskFailure, fail } from './errors'
import type { Customer, SimInstance } from './state'

/** The reference's limit on subject, type_content, assignee_email, agent_group_name, ... */
export const MAX_TEXT = 255
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

export const CUSTOMER_TYPES = ['email', 'cellphone', 'customer_token', 'customer_id'] as const

export function isEmail(value: unknown): value is string {
  return typeof value === 'string' && EMAIL.test(value)
}

export function tooLong(field: string, value: unknown): UdeskFailure | null {
  if (typeof value !== 'string' || [...value].length <= MAX_TEXT) return null
  const label = field.charAt(0).toUpperCase() + field.slice(1).replace(/_/g, ' ')
  return fail(
    'unknown',
    `Validation failed: ${label} is too long (maximum is ${MAX_TEXT} characters)`,
  )
}

/** Finds a customer the way create (`type`) and update (`customer_id_type`) do. */
export function findCustomer(sim: SimInstance, type: string, value: string): Customer | undefined {
  for (const customer of sim.customers.values()) {
    if (type === 'email' && customer.email === value) return customer
    if (type === 'cellphone' && customer.cellphones.some((p) => p.content === value))
      return customer
    if (type === 'customer_token' && customer.webToken === value) return customer
    if (type === 'customer_id' && String(customer.id) === value.trim()) return customer
  }
  return undefined
}

/** Create takes the Chinese name (`紧急`, `高`, `标准`, `低`); `标准` when absent. */
export function priorityIdFromName(name: unknown): number {
  if (isBlank(name)) return 3
  const index = PRIORITIES.indexOf(String(name) as (typeof PRIORITIES)[number])
  if (index < 0) throw fail('priorityError')
  return index + 1
}

/** A status or priority id 1-4, or undefined when absent. */
export function idInRange(value: unknown, error: UdeskFailure): number | undefined {
  const id = intValue(value)
  if (id === undefined) return undefined
  if (id === 'invalid' || id > 4) throw error
  return id
}

/** Followers must be agents: `[1, 2]` or `["1", "23"]`; the update example's objects too. */
export function followerIds(sim: SimInstance, value: unknown): number[] | undefined {
  if (value === undefined || value === null) return undefined
  if (!Array.isArray(value)) throw fail('unknown', 'follower_ids must be an array')
  return value.map((item: unknown) => {
    const raw = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : item
    const id = intValue(raw)
    if (typeof id !== 'number' || !findAgent(sim, { id })) {
      throw fail('notFound', `User ${String(raw)} not found`)
    }
    return id
  })
}

/** "Tag1, Tag2" -> ["Tag1", "Tag2"] */
export function parseTags(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined
  return [
    ...new Set(
      value
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    ),
  ]
}

const TIME_FORMATS: Record<string, RegExp> = {
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  time: /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
  datetime: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/,
}

/**
 * Custom field values keyed by field name. Date and time fields must have their format
 * ("Time date format is incorrect"); fields the account does not define are kept as given.
 */
export function customFields(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw fail('unknown', 'no implicit conversion of Array into Hash')
  }
  const fields = value as Record<string, unknown>
  for (const [name, fieldValue] of Object.entries(fields)) {
    const format = TIME_FORMATS[CUSTOM_FIELDS.find((f) => f.name === name)?.type ?? '']
    if (format && !isBlank(fieldValue) && !format.test(String(fieldValue))) throw fail('timeFormat')
  }
  return fields
}
