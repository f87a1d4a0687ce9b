import { beforeAll, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  createSimCustomer,
  createSimInstance,
  udeskJson,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeAll(async () => {
  sim = await createSimInstance()
})

const call = (method: string, path: string, body?: unknown) =>
  udeskJson(sim.baseUrl, method, path, body)

describe('customers', () => {
  it('refuses an email that already belongs to a customer', async ({ expect }) => {
    await createSimCustomer(sim, 'twice@example.com')

    const again = await call('POST', '/customers', {
      customer: { email: 'twice@example.com', nick_name: 'Again' },
    })

    expect(again).toMatchObject({
      code: 2000,
      exception: { message: 'Validation failed: Email has already been taken' },
    })
  })

  it('finds a customer by its web_token as type customer_token', async ({ expect }) => {
    const id = await createSimCustomer(sim, 'slack-user@example.com', { web_token: 'slack:T1:U42' })

    const found = await call(
      'GET',
      '/customers/get_customer?type=customer_token&content=slack%3AT1%3AU42',
    )
    const missing = await call(
      'GET',
      '/customers/get_customer?type=customer_token&content=slack%3AT1%3AU43',
    )

    expect(found).toMatchObject({ code: 1000, customer: { id, web_token: 'slack:T1:U42' } })
    expect(missing).toMatchObject({ code: 2005, message: 'No such resource found' })
  })
})
