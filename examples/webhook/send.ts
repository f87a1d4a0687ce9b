/**
 * Sends one Standard Webhooks signed event to the bridge's `events` source.
 *
 *   npx tsx examples/webhook/send.ts open    order-1234 "Where is my order?" "Not here yet."
 *   npx tsx examples/webhook/send.ts reply   order-1234 "Any news?"
 *   npx tsx examples/webhook/send.ts resolve order-1234 "Delivered, thanks!"
 *
 * Settings (environment): BRIDGE_URL, SOURCE, WEBHOOK_SECRET, CUSTOMER_EMAIL, CUSTOMER_NAME.
 */
import { Buffer } from 'node:buffer'

const env = process.env
const BRIDGE_URL = env.BRIDGE_URL ?? 'http://127.0.0.1:8787'
const SOURCE = env.SOURCE ?? 'events'
const SECRET = env.WEBHOOK_SECRET ?? 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const customer = {
  email: env.CUSTOMER_EMAIL ?? 'customer@example.com',
  name: env.CUSTOMER_NAME ?? 'Example Customer',
}

function eventFor([action, thread, ...text]: string[]): Record<string, unknown> {
  if (action === 'open' && thread && text.length === 2) {
    return { type: 'ticket.open', thread, subject: text[0], content: text[1], customer }
  }
  if (action === 'reply' && thread && text.length === 1) {
    return { type: 'ticket.reply', thread, content: text[0] }
  }
  if (action === 'resolve' && thread && text.length <= 1) {
    return { type: 'ticket.resolve', thread, content: text[0] }
  }
  console.error(
    'usage: send.ts open THREAD SUBJECT CONTENT | reply THREAD CONTENT | resolve THREAD [CONTENT]',
  )
  process.exit(2)
}

/** Standard Webhooks v1: base64 HMAC-SHA256 of "{id}.{timestamp}.{body}", key after `whsec_`. */
async function sign(id: string, timestamp: number, body: string): Promise<string> {
  const secret = Buffer.from(SECRET.replace(/^whsec_/, ''), 'base64')
  const key = await crypto.subtle.importKey(
    'raw',
    secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  )
  return `v1,${Buffer.from(mac).toString('base64')}`
}

const body = JSON.stringify(eventFor(process.argv.slice(2)))
const id = `msg_${crypto.randomUUID().replaceAll('-', '')}`
const timestamp = Math.floor(Date.now() / 1000)
const response = await fetch(`${BRIDGE_URL}/webhooks/${SOURCE}`, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await sign(id, timestamp, body),
  },
  body,
})
console.log(response.status, await response.text())
process.exitCode = response.ok ? 0 : 1
