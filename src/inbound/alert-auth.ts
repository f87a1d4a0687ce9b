import type { AlertAuthMode, AlertmanagerSource, GrafanaSource } from '../config'
import { BadSignatureError } from '../errors'
import { verifyBasicAuth } from '../signatures/basic'
import { verifySchemeToken } from '../signatures/bearer'
import { verifyGrafanaHmac } from '../signatures/grafana-hmac'
import type { Verdict } from '../signatures/verdict'
import type { IntakeRequest } from './intake'

/**
 * docs/design.md and README "Sources": an alert source's `auth`, checked on the raw body before it is parsed,
 * so an unauthenticated caller learns nothing of the schema. 401 with the verdict's reason.
 */
export async function authenticateAlert(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
): Promise<void> {
  const verdict = await alertVerdict(request)
  if (!verdict.ok) throw new BadSignatureError(verdict.reason)
}

/** Passes when any configured mode passes; else the first mode's reason. */
async function alertVerdict(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
): Promise<Verdict<string>> {
  const verdicts = await Promise.all(request.source.auth.map((mode) => modeVerdict(request, mode)))
  return verdicts.find((v) => v.ok) ?? verdicts[0] ?? { ok: false, reason: 'no_auth_mode' }
}

function modeVerdict(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
  auth: AlertAuthMode,
): Promise<Verdict<string>> {
  const authorization = request.headers.get('authorization')
  switch (auth.type) {
    case 'bearer':
      return verifySchemeToken(authorization, 'Bearer', request.secrets)
    case 'authorization':
      return verifySchemeToken(authorization, auth.scheme, request.secrets)
    case 'basic':
      return verifyBasicAuth(authorization, {
        username: auth.username,
        passwords: request.secrets,
      })
    case 'grafana-hmac':
      return verifyGrafanaHmac({
        secrets: request.secrets,
        signature: request.headers.get(auth.header),
        timestamp: auth.timestampHeader ? request.headers.get(auth.timestampHeader) : undefined,
        body: request.body,
        nowMs: request.receivedAt,
      })
  }
}
