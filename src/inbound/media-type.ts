import type { SourceKind } from '../config'
import { UnsupportedMediaTypeError } from '../errors'

export const JSON_TYPE = 'application/json'
export const URLENCODED = 'application/x-www-form-urlencoded'
export const MULTIPART = 'multipart/form-data'

/**
 * What each kind is posted as: forms in all three browser encodings; Slack's Events API in
 * JSON, plus urlencoded for its `ssl_check`; alert managers and signed webhooks in JSON.
 */
const ACCEPTED: Record<SourceKind, readonly string[]> = {
  form: [URLENCODED, MULTIPART, JSON_TYPE],
  slack: [JSON_TYPE, URLENCODED],
  alertmanager: [JSON_TYPE],
  grafana: [JSON_TYPE],
  webhook: [JSON_TYPE],
}

/** The media type without parameters, lowercase; 415 when the kind does not take it. */
export function acceptedMediaType(kind: SourceKind, contentType: string | null): string {
  const mediaType = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (!ACCEPTED[kind].includes(mediaType)) throw new UnsupportedMediaTypeError()
  return mediaType
}
