import { createHmac } from 'node:crypto'
import type { SendJob } from './plan'

/** The README's development secret of the `events` source. */
export const EVENTS_WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

export interface SendReport {
  accepted: number
  duplicates: number
  /** 503s and dropped connections the sender retried, as a real sender would. */
  senderRetries: number
  errors: string[]
}

/** Standard Webhooks v1: base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, key from `whsec_`. */
export function signWebhook(id: string, timestamp: number, body: string, secret: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')
  return `v1,${mac}`
}

/**
 * One `POST {bridgeUrl}/webhooks/events` signed now as Standard Webhooks senders sign
 * (`webhook-id`, `webhook-timestamp` in seconds, `webhook-signature`), with the development
 * secret unless another is given. Rejects only when no answer came.
 */
export function postSignedEvent(
  bridgeUrl: string,
  id: string,
  body: string,
  secret = EVENTS_WEBHOOK_SECRET,
): Promise<Response> {
  const timestamp = Math.floor(Date.now() / 1000)
  return fetch(`${bridgeUrl}/webhooks/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(id, timestamp, body, secret),
    },
    body,
  })
}

/** Sends every job with `concurrency` posts in flight; copies of one job go out together. */
export async function sendAll(
  bridgeUrl: string,
  jobs: SendJob[],
  concurrency: number,
): Promise<SendReport> {
  const report: SendReport = { accepted: 0, duplicates: 0, senderRetries: 0, errors: [] }
  let next = 0
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!
      const copies = Array.from({ length: job.copies }, () => post(bridgeUrl, job, report))
      await Promise.all(copies)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return report
}

/** One sender delivery, retried like Standard Webhooks senders do on 5xx or no answer. */
function post(bridgeUrl: string, job: SendJob, report: SendReport): Promise<void> {
  const { id, body } = job.delivery
  return retryingPost(() => postSignedEvent(bridgeUrl, id, body), id, report)
}

/**
 * Sends until a 2xx (counted accepted on 202, duplicate on 200), as senders retry a 5xx or a
 * lost answer: up to 30 attempts, backing off to 2 s. Any other answer is an error of `id`.
 */
export async function retryingPost(
  send: () => Promise<Response>,
  id: string,
  report: SendReport,
): Promise<void> {
  for (let attempt = 1; attempt <= 30; attempt++) {
    const response = await send().catch(() => undefined)
    const text = await response?.text().catch(() => '')
    if (response?.status === 202) return void report.accepted++
    if (response?.status === 200) return void report.duplicates++
    if (response && response.status < 500) {
      report.errors.push(`${id}: HTTP ${response.status} ${text}`)
      return
    }
    report.senderRetries++
    await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * attempt)))
  }
  report.errors.push(`${id}: no 2xx after 30 attempts`)
}
