import { exports } from 'cloudflare:workers'
import { describe, it } from 'vitest'
import firing from '../fixtures/alertmanager/firing.json'
import grafanaFiring from '../fixtures/grafana/firing.json'
import { basicAuthRequest, grafanaHmacRequest, schemeRequest } from '../helpers/alert-requests'
import { bearerRequest, DEV_SECRETS, nowSeconds } from '../helpers/signed-request'

/** Each alert `auth` mode, on the raw body before parsing: 202 signed right, else 401. */
const unique = () => `{}:{run="${crypto.randomUUID()}"}`
const am = () => ({ ...firing, groupKey: unique() })
const gf = () => ({ ...grafanaFiring, groupKey: unique() })
const HMAC_SECRETS = { current: 'new-grafana-hmac-secret', previous: 'dev-grafana-hmac-secret' }

async function statuses(requests: (Request | Promise<Request>)[]) {
  const out = []
  for (const request of requests) out.push((await exports.default.fetch(await request)).status)
  return out
}

describe('alert sources authenticate as their auth says', { timeout: 30_000 }, () => {
  it('takes Bearer or Basic (username alertmanager) on the development source', async ({
    expect,
  }) => {
    const answers = await statuses([
      bearerRequest('alertmanager', am(), DEV_SECRETS.alertmanager),
      basicAuthRequest('alertmanager', am(), 'alertmanager', DEV_SECRETS.alertmanager),
      basicAuthRequest('alertmanager', am(), 'someone', DEV_SECRETS.alertmanager),
      basicAuthRequest('alertmanager', am(), 'alertmanager', 'wrong'),
    ])

    expect(answers).toEqual([202, 202, 401, 401])
  })

  it('takes an Authorization header with the configured scheme, and only that', async ({
    expect,
  }) => {
    const answers = await statuses([
      schemeRequest('alertmanager-scheme', am(), 'Token', DEV_SECRETS.alertmanager),
      schemeRequest('alertmanager-scheme', am(), 'token', DEV_SECRETS.alertmanager),
      schemeRequest('alertmanager-scheme', am(), 'Bearer', DEV_SECRETS.alertmanager),
      schemeRequest('alertmanager-scheme', am(), 'Token', 'wrong'),
    ])

    expect(answers).toEqual([202, 202, 401, 401])
  })

  it("takes Grafana's HMAC over timestamp and body, with either secret while it rotates", async ({
    expect,
  }) => {
    const now = nowSeconds()

    const answers = await statuses([
      grafanaHmacRequest('grafana-hmac', gf(), HMAC_SECRETS.current, now),
      grafanaHmacRequest('grafana-hmac', gf(), HMAC_SECRETS.previous, now),
      grafanaHmacRequest('grafana-hmac', gf(), HMAC_SECRETS.current, now - 301),
      grafanaHmacRequest('grafana-hmac', gf(), HMAC_SECRETS.current, null),
      grafanaHmacRequest('grafana-hmac', gf(), 'wrong', now),
      bearerRequest('grafana-hmac', gf(), HMAC_SECRETS.current),
    ])

    expect(answers).toEqual([202, 202, 401, 401, 401, 401])
  })

  it("takes Grafana's HMAC over the body alone when no timestamp header is configured", async ({
    expect,
  }) => {
    const answers = await statuses([
      grafanaHmacRequest('grafana-hmac-body', gf(), HMAC_SECRETS.current, null),
      grafanaHmacRequest('grafana-hmac-body', gf(), 'wrong', null),
    ])

    expect(answers).toEqual([202, 401])
  })

  it('refuses an unauthenticated body before reading it: 401, not 400, for garbage', async ({
    expect,
  }) => {
    const garbage = new Request('http://bridge.test/webhooks/grafana-hmac', {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    })

    const response = await exports.default.fetch(garbage)

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({ error: 'unauthorized', message: expect.any(String) })
  })
})
