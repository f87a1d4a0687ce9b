import * as z from '../zod'
import type { Verdict } from '../signatures/verdict'

/** The field Cloudflare's widget adds to the form. */
export const TURNSTILE_FIELD = 'cf-turnstile-response'
const SITEVERIFY_TIMEOUT_MS = 5_000

const SiteverifyAnswerSchema = z.object({
  success: z.boolean(),
  'error-codes': z._default(z.array(z.string()), []),
})

export type TurnstileVerdict = Verdict<string>

export interface TurnstileCheck {
  verifyUrl: string
  secret: string
  token: string | undefined
  /** `CF-Connecting-IP`, which siteverify uses as an extra signal. */
  remoteIp: string | null
  fetch?: typeof fetch
}

/**
 * Asks siteverify whether the widget's token is good. A failure reason is siteverify's error
 * code (`invalid-input-response`, `timeout-or-duplicate`, ...). When siteverify cannot be
 * reached the form is refused too: a captcha that fails open protects nothing.
 */
export async function verifyTurnstile(check: TurnstileCheck): Promise<TurnstileVerdict> {
  if (!check.token) return { ok: false, reason: 'missing-input-response' }
  const form = new URLSearchParams({ secret: check.secret, response: check.token })
  if (check.remoteIp) form.set('remoteip', check.remoteIp)
  const doFetch = check.fetch ?? fetch
  try {
    const response = await doFetch(check.verifyUrl, {
      method: 'POST',
      body: form,
      signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS),
    })
    const answer = SiteverifyAnswerSchema.safeParse(await response.json())
    if (!answer.success) return { ok: false, reason: 'siteverify-bad-answer' }
    if (answer.data.success) return { ok: true }
    return { ok: false, reason: answer.data['error-codes'].join(',') || 'unknown' }
  } catch {
    return { ok: false, reason: 'siteverify-unreachable' }
  }
}
