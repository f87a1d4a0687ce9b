import { env } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import { customerCacheKey, ensureCustomer } from '../../src/delivery/customers'
import { createUdeskClient } from '../../src/udesk/client'
import { DEV_UDESK } from '../helpers/sim'
import { uniqueTag } from './sim'

const udesk = createUdeskClient({ baseUrl: env.UDESK_BASE_URL, credentials: DEV_UDESK })
const utf8 = (text: string) => new TextEncoder().encode(text).length

describe('customers', () => {
  it("keeps every cache key within KV's 512 bytes, however long the identifier", async ({
    expect,
  }) => {
    const long = (end: string) => `${'ä'.repeat(300)}${end}@example.com`
    const [a, b] = [long('a'), long('b')]

    const keyA = await customerCacheKey({ type: 'email', content: a })
    const keyB = await customerCacheKey({ type: 'email', content: b })
    await env.BRIDGE_KV.put(keyA, '1')

    expect(utf8(keyA)).toBeLessThanOrEqual(512)
    expect(keyA).not.toBe(keyB)
    expect(await env.BRIDGE_KV.get(keyA)).toBe('1')
    expect(await customerCacheKey({ type: 'email', content: 'a@example.com' })).toBe(
      'customer:email:a@example.com',
    )
  })

  it('finds one customer for one email in any letter case, trimmed', async ({ expect }) => {
    const tag = uniqueTag('case')

    const first = await ensureCustomer(udesk, env.BRIDGE_KV, { email: `Jane.${tag}@Example.com` })
    const second = await ensureCustomer(udesk, env.BRIDGE_KV, {
      email: ` jane.${tag}@example.com `,
    })

    expect(first).toEqual({ type: 'email', content: `jane.${tag}@example.com` })
    expect(second).toEqual(first)
    const found = await udesk.getCustomer({ type: 'email', content: `jane.${tag}@example.com` })
    expect(found?.email).toBe(`jane.${tag}@example.com`)
  })

  it('creates a customer without a phone that already belongs to someone else', async ({
    expect,
  }) => {
    const tag = uniqueTag('phone')
    const phone = `+1 555 ${tag.replace(/\D/g, '').slice(-7)}`
    await ensureCustomer(udesk, env.BRIDGE_KV, { email: `first-${tag}@example.com`, phone })

    const lookup = await ensureCustomer(udesk, env.BRIDGE_KV, {
      email: `second-${tag}@example.com`,
      name: 'Second Person',
      phone,
    })

    const second = await udesk.getCustomer({ type: 'email', content: `second-${tag}@example.com` })
    const owner = await udesk.getCustomer({ type: 'cellphone', content: phone })
    expect(lookup).toEqual({ type: 'email', content: `second-${tag}@example.com` })
    expect(second).toMatchObject({ nick_name: 'Second Person', cellphones: [] })
    expect(owner?.email).toBe(`first-${tag}@example.com`)
  })
})
