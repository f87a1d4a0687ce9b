import type { FormSource } from '../config'
import { CaptchaFailedError, InvalidPayloadError } from '../errors'
import { ADAPTERS } from '../sources'
import { checkAttachmentLimits, describeFile } from './attachments'
import { readFormBody } from './form-body'
import { nextRedirect } from './form-redirect'
import { isUsableDeliveryId, type Intake, type IntakeRequest } from './intake'
import { acceptedMediaType } from './media-type'
import { parsePayload } from './payload'
import { isReplay } from './replay-filter'
import { TURNSTILE_FIELD, verifyTurnstile } from './turnstile'

/**
 * A contact form. Cheap refusals come first; the fields are validated before Turnstile, so a
 * typo in an email does not burn the visitor's single-use captcha token (the schema of a
 * public form is no secret: it is in the page). The honeypot is looked at only once the rest
 * passed: a bot filling it gets the answers a person gets, so no answer points at the trap.
 */
export async function formIntake(request: IntakeRequest<FormSource>): Promise<Intake> {
  const mediaType = acceptedMediaType('form', request.contentType)
  const { source } = request
  const { fields, files } = await readFormBody(request.body, mediaType, request.contentType ?? '', {
    maxFields: source.maxFields,
    maxValuesPerName: source.maxValuesPerName,
  })
  const { deliveryId, given } = submissionId(fields._submission_id, request.headers)
  const redirect = nextRedirect(fields._next, source.allowedRedirects)
  checkAttachmentLimits(files)
  const { [source.honeypot]: trap, ...rest } = fields
  const payload = parsePayload(ADAPTERS.form.schema, rest)
  if (trap !== undefined) return { kind: 'honeypot', deliveryId, redirect }
  // A re-sent submission carries its spent single-use token; its id is only remembered once it
  // passed Turnstile, so the duplicate answer needs no second siteverify.
  if (given && (await isReplay(request.kv, request.name, deliveryId))) {
    return { kind: 'duplicate', deliveryId, redirect }
  }
  await checkTurnstile(request, fields[TURNSTILE_FIELD])
  const events = ADAPTERS.form.toEvents(payload, {
    source: request.name,
    config: request.source,
    deliveryId,
    receivedAt: request.receivedAt,
    files: files.map(describeFile),
  })
  return { kind: 'events', deliveryId, events, files, redirect, ...(!given && UNREPEATABLE) }
}

const UNREPEATABLE = { unrepeatable: true } as const

async function checkTurnstile(request: IntakeRequest<FormSource>, token: unknown) {
  const secret = request.config.secrets[`${request.name}:turnstile`]?.[0]
  if (!secret) return
  const verdict = await verifyTurnstile({
    verifyUrl: request.config.TURNSTILE_VERIFY_URL,
    secret,
    token: typeof token === 'string' ? token : undefined,
    remoteIp: request.headers.get('cf-connecting-ip'),
  })
  if (!verdict.ok) throw new CaptchaFailedError(verdict.reason)
}

/**
 * The form's own `_submission_id` (a page can resubmit safely with it), else the client's
 * `Idempotency-Key`, else a new id: without one, each post is a new submission.
 */
function submissionId(field: unknown, headers: Headers) {
  const given = typeof field === 'string' ? field : (headers.get('idempotency-key') ?? undefined)
  if (given === undefined) return { deliveryId: crypto.randomUUID(), given: false }
  if (!isUsableDeliveryId(given)) {
    throw new InvalidPayloadError('_submission_id must be 1-200 printable ASCII characters')
  }
  return { deliveryId: given, given: true }
}
