import { beforeAll, describe, it } from 'vitest'
import {
  DEV_UDESK,
  type SimInstanceInfo,
  createSimInstance,
  signedUdeskUrl,
  simCalls,
  udeskSignHex,
} from '../helpers/sim'

let sim: SimInstanceInfo

beforeAll(async () => {
  sim = await createSimInstance()
})

const now = () => Math.floor(Date.now() / 1000)

async function listTickets(options: Parameters<typeof signedUdeskUrl>[2]) {
  const response = await fetch(await signedUdeskUrl(sim.baseUrl, '/tickets', options))
  return {
    status: response.status,
    body: (await response.json()) as { code: number; message: string },
  }
}

describe('sign v2 (docs/udesk-api.md)', () => {
  it('matches the known answer of the notes', async ({ expect }) => {
    // printf '%s' 'admin@udesk.cn&dev-token&1494474404&2d931510-d99f-494a-8c67-87feb05e1594&v2' | sha256sum
    const sign = await udeskSignHex(
      'admin@udesk.cn',
      'dev-token',
      '1494474404',
      '2d931510-d99f-494a-8c67-87feb05e1594',
    )

    expect(sign).toBe('a15461c68e76151f9d41e21d1b1499bbef5ef2ecc6ddd36158628bdab06ec527')
  })

  it('accepts the known answer on an account with those credentials', async ({ expect }) => {
    const account = await createSimInstance({ email: 'admin@udesk.cn', token: 'dev-token' })
    const url = new URL(`${account.baseUrl}/tickets`)
    const nonce = crypto.randomUUID()
    const timestamp = String(now())
    const sign = await udeskSignHex('admin@udesk.cn', 'dev-token', timestamp, nonce)
    url.search = new URLSearchParams({
      email: 'admin@udesk.cn',
      timestamp,
      sign,
      nonce,
      sign_version: 'v2',
    }).toString()

    const response = await fetch(url)

    expect(await response.json()).toMatchObject({ code: 1000, contents: [] })
  })
})

describe('authentication of every call', () => {
  it('answers code 1000 to a correctly signed call', async ({ expect }) => {
    const { status, body } = await listTickets(DEV_UDESK)

    expect(status).toBe(200)
    expect(body.code).toBe(1000)
  })

  it('refuses a sign made with another token', async ({ expect }) => {
    const { status, body } = await listTickets({ ...DEV_UDESK, token: 'not-the-token' })

    expect(status).toBe(401)
    expect(body).toEqual({
      code: 2003,
      message: 'Sorry, authentication failed, please check email and sign',
    })
  })

  it('refuses another email even when the sign is computed with it', async ({ expect }) => {
    const { body } = await listTickets({ ...DEV_UDESK, email: 'intruder@example.com' })

    expect(body.code).toBe(2003)
  })

  it('refuses a timestamp more than five minutes old', async ({ expect }) => {
    const { status, body } = await listTickets({ ...DEV_UDESK, timestamp: now() - 301 })

    expect(status).toBe(401)
    expect(body).toEqual({ code: 2004, message: 'Sorry, the timestamp is invalid or expired' })
  })

  it('refuses a timestamp more than five minutes ahead', async ({ expect }) => {
    const { body } = await listTickets({ ...DEV_UDESK, timestamp: now() + 301 })

    expect(body.code).toBe(2004)
  })

  it('accepts a timestamp just inside the window, either way', async ({ expect }) => {
    const before = await listTickets({ ...DEV_UDESK, timestamp: now() - 290 })
    const after = await listTickets({ ...DEV_UDESK, timestamp: now() + 290 })

    expect([before.body.code, after.body.code]).toEqual([1000, 1000])
  })

  it('refuses a nonce used before, even with a fresh timestamp', async ({ expect }) => {
    const nonce = crypto.randomUUID()
    const first = await listTickets({ ...DEV_UDESK, nonce })

    const replay = await listTickets({ ...DEV_UDESK, nonce, timestamp: now() + 1 })

    expect(first.body.code).toBe(1000)
    expect(replay.status).toBe(401)
    expect(replay.body).toEqual({ code: 2006, message: 'Sorry, the nonce has already been used' })
  })

  it('refuses the very same signed URL sent twice', async ({ expect }) => {
    const url = await signedUdeskUrl(sim.baseUrl, '/tickets', DEV_UDESK)

    const codes = []
    for (let i = 0; i < 2; i++)
      codes.push(((await (await fetch(url)).json()) as { code: number }).code)

    expect(codes).toEqual([1000, 2006])
  })

  it('does not spend the nonce of a refused call', async ({ expect }) => {
    const nonce = crypto.randomUUID()
    await listTickets({ ...DEV_UDESK, token: 'wrong', nonce })

    const { body } = await listTickets({ ...DEV_UDESK, nonce })

    expect(body.code).toBe(1000)
  })

  for (const param of ['email', 'timestamp', 'sign', 'nonce', 'sign_version'] as const) {
    it(`refuses a call without ${param}`, async ({ expect }) => {
      const { status, body } = await listTickets({ ...DEV_UDESK, omit: [param] })

      expect(status).toBe(401)
      expect(body.code).toBe(2001)
    })
  }

  it('refuses sign_version v1', async ({ expect }) => {
    const { body } = await listTickets({ ...DEV_UDESK, signVersion: 'v1' })

    expect(body).toEqual({ code: 2002, message: 'Sorry, sign_version only supports v2' })
  })

  it('logs refused calls without the signing parameters', async ({ expect }) => {
    const since = (await simCalls(sim.controlUrl)).at(-1)?.seq ?? 0
    const url = await signedUdeskUrl(sim.baseUrl, '/tickets?per_page=5', {
      ...DEV_UDESK,
      token: 'x',
    })
    await fetch(url)

    const calls = await simCalls(sim.controlUrl, since)

    expect(calls).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/tickets',
        query: { per_page: '5' },
        status: 401,
        code: 2003,
      }),
    ])
  })
})
