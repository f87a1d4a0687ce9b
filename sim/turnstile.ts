import type { Hono } from 'hono'
import type { SimEnv } from './context'

/**
 * Cloudflare Turnstile's siteverify, answering as Cloudflare does for its documented test
 * secret keys (developers.cloudflare.com/turnstile/troubleshooting/testing/).
 */
export const TURNSTILE_TEST_SECRETS = {
  alwaysPasses: '1x0000000000000000000000000000000AA',
  alwaysFails: '2x0000000000000000000000000000000AA',
  tokenSpent: '3x0000000000000000000000000000000AA',
} as const

const MAX_RESPONSE_LENGTH = 2048

interface SiteverifyAnswer {
  success: boolean
  'error-codes': string[]
  challenge_ts?: string
  hostname?: string
  action?: string
  cdata?: string
  metadata?: Record<string, unknown>
}

export function registerTurnstileRoute(app: Hono<SimEnv>): void {
  app.post('/turnstile/v0/siteverify', async (c) => {
    const fields = await readFields(c.req.raw)
    if (!fields) return c.json(failure('bad-request'), 400)
    return c.json(verify(fields.secret, fields.response))
  })
}

/** Cloudflare accepts form-encoded, multipart or JSON bodies. */
async function readFields(request: Request): Promise<Record<string, string> | null> {
  const type = request.headers.get('content-type') ?? ''
  try {
    if (type.includes('json')) {
      const json = (await request.json()) as Record<string, unknown>
      return Object.fromEntries(
        Object.entries(json).map(([k, v]) => [k, typeof v === 'string' ? v : '']),
      )
    }
    const form = await request.formData()
    return Object.fromEntries([...form].map(([k, v]) => [k, typeof v === 'string' ? v : '']))
  } catch {
    return null
  }
}

function failure(...codes: string[]): SiteverifyAnswer {
  return { success: false, 'error-codes': codes }
}

function verify(secret = '', response = ''): SiteverifyAnswer {
  const errors: string[] = []
  if (secret === '') errors.push('missing-input-secret')
  if (response === '') errors.push('missing-input-response')
  if (errors.length > 0) return failure(...errors)
  if (response.length > MAX_RESPONSE_LENGTH) return failure('invalid-input-response')
  switch (secret) {
    case TURNSTILE_TEST_SECRETS.alwaysPasses:
      return {
        success: true,
        'error-codes': [],
        challenge_ts: new Date().toISOString(),
        hostname: 'example.com',
        action: '',
        cdata: '',
        metadata: { interactive: false },
      }
    case TURNSTILE_TEST_SECRETS.alwaysFails:
      return failure('invalid-input-response')
    case TURNSTILE_TEST_SECRETS.tokenSpent:
      return failure('timeout-or-duplicate')
    default:
      return failure('invalid-input-secret')
  }
}
