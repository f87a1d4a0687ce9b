import type { AlertmanagerSource, GrafanaSource } from '../config'
import { BadSignatureError } from '../errors'
import { verifyBasicAuth } from '../signatures/basic'
import { verifySchemeToken } from '../signatures/bearer'
import { verifyGrafanaHmac } from '../signatures/grafana-hmac'
import type { Verdict } from '../signatures/verdict'
import type { IntakeRequest } from './intake'

/**
 * DESIGN.md "Sources": an alert source's `auth`, checked on the raw body before it is parsed,
 * so an unauthenticated caller learns nothing of the schema. 401 with the verdict's reason.
 */
export async function authenticateAlert(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
): Promise<void> {
  const verdict = await alertVerdict(request)
  if (!verdict.ok) throw new BadSignatureError(verdict.reason)
}

function alertVerdict(
  request: IntakeRequest<AlertmanagerSource | GrafanaSource>,
): Promise<Verdict<string>> {
  const { auth } = request.source
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
