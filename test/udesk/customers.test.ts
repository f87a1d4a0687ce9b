import { beforeAll, describe, it } from 'vitest'
import { clientFor, freshSim, rejection, simState, unique, type FreshSim } from './fresh-sim'

let sim: FreshSim
let udesk: ReturnType<typeof clientFor>

beforeAll(async () => {
  sim = await freshSim()
  udesk = clientFor(sim)
})

describe('createCustomer', () => {
  it('creates a customer with email, phone, description and external token', async ({ expect }) => {
    const email = `${unique('marie')}@example.com`

    const { id } = await udesk.createCustomer({
      email,
      nickName: 'Marie Curie',
      cellphones: ['+15550100'],
      description: 'Slack user',
      webToken: 'slack:T024BE7LD:U012AB3CD',
    })

    const stored = (await simState(sim)).customers.find((c) => c.id === id)
    expect(stored).toMatchObject({
      email,
      nick_name: 'Marie Curie',
      web_token: 'slack:T024BE7LD:U012AB3CD',
    })
  })

  it('is refused for an email that already belongs to a customer', async ({ expect }) => {
    const email = `${unique('twice')}@example.com`
    await udesk.createCustomer({ email, nickName: 'First' })

    const error = await rejection(udesk.createCustomer({ email, nickName: 'Second' }))

    expect(error).toMatchObject({
      endpoint: 'POST /customers',
      udeskCode: 2000,
      udeskDetail: 'Validation failed: Email has already been taken',
      retryable: false,
    })
  })
})

describe('getCustomer', () => {
  it('finds a customer by email, cellphone, external token and id', async ({ expect }) => {
    const email = `${unique('ida')}@example.com`
    const token = unique('slack:T1:U')
    const phone = `+1555${Math.floor(Math.random() * 1e7)}`
    const { id } = await udesk.createCustomer({
      email,
      nickName: 'Ida',
      cellphones: [phone],
      webToken: token,
    })

    const found = await Promise.all([
      udesk.getCustomer({ type: 'email', content: email }),
      udesk.getCustomer({ type: 'cellphone', content: phone }),
      udesk.getCustomer({ type: 'customer_token', content: token }),
      udesk.getCustomer({ type: 'customer_id', content: String(id) }),
    ])

    expect(found.map((c) => c?.id)).toEqual([id, id, id, id])
    expect(found[0]).toMatchObject({ email, nick_name: 'Ida' })
  })

  it('answers null when there is no such customer', async ({ expect }) => {
    const customer = await udesk.getCustomer({
      type: 'email',
      content: `${unique('nobody')}@example.com`,
    })

    expect(customer).toBeNull()
  })

  it('still fails on a lookup Udesk refuses', async ({ expect }) => {
    const type = 'nickname' as 'email'

    const error = await rejection(udesk.getCustomer({ type, content: 'Ida' }))

    expect(error).toMatchObject({ endpoint: 'GET /customers/get_customer', udeskCode: 2000 })
  })
})
