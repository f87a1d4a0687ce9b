import * as z from '../zod'
import { UdeskError } from './errors'
import type { UdeskSend } from './http'
import type { CreateCustomerInput, CustomerLookup } from './inputs'
import { CustomerSchema, type Customer } from './schemas'

const CustomerAnswerSchema = z.looseObject({ customer: CustomerSchema })

/** How Udesk says "no such customer" (docs/udesk-api.md: get_customer answers an error). */
const NOT_FOUND_CODE = 2005
const NO_SUCH_CUSTOMER = 'Sorry, no such customer. Please create a customer first'

/** Customers (docs/udesk-api.md, "Facts"): tickets with `type`/`type_content` need one. */
export function customerCalls(send: UdeskSend) {
  return {
    /**
     * Udesk refuses an email that already belongs to a customer: callers that only need the
     * customer to exist look it up with `getCustomer` after such a refusal.
     */
    async createCustomer(input: CreateCustomerInput): Promise<{ id: number }> {
      const answer = await send({
        method: 'POST',
        endpoint: '/customers',
        path: '/customers',
        json: {
          customer: {
            email: input.email,
            nick_name: input.nickName,
            // Udesk's phone list is [[id, number], ...]; a new number has no id yet.
            cellphones: input.cellphones?.map((phone) => [null, phone]),
            description: input.description,
            web_token: input.webToken,
          },
        },
        schema: CustomerAnswerSchema,
      })
      return { id: answer.customer.id }
    },

    /** The customer with that email, cellphone, external token or id; null when none. */
    async getCustomer(lookup: CustomerLookup): Promise<Customer | null> {
      try {
        const answer = await send({
          method: 'GET',
          endpoint: '/customers/get_customer',
          path: '/customers/get_customer',
          query: { type: lookup.type, content: lookup.content },
          schema: CustomerAnswerSchema,
        })
        return answer.customer
      } catch (error) {
        if (isCustomerNotFound(error)) return null
        throw error
      }
    },
  }
}

function isCustomerNotFound(error: unknown): boolean {
  if (!(error instanceof UdeskError) || error.kind !== 'udesk_code') return false
  return error.udeskCode === NOT_FOUND_CODE || error.udeskMessage === NO_SUCH_CUSTOMER
}
