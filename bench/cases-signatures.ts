import { createHmac, timingSafeEqual } from 'node:crypto'
import { verifyStandardWebhook } from '../src/signatures/standard-webhooks'
import { DEV } from '../test/e2e/harness'
import type { CpuCase } from './cases-cpu'

/**
 * The Standard Webhooks check on a 1 MiB body when the sender lists one signature, five (the
 * most accepted) or 600 (an attacker's list): the HMAC is computed once and a long list is
 * refused before hashing, so neither costs much more than one signature.
 */
export function signatureListCases(): CpuCase[] {
  installTimingSafeEqual()
  const body = new Uint8Array(1024 * 1024).fill(0x61)
  const id = 'msg_bench'
  const timestamp = String(Math.floor(Date.now() / 1000))
  const key = Buffer.from(DEV.eventsWebhookSecret.replace(/^whsec_/, ''), 'base64')
  const good = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`
  const bogus = (n: number) =>
    Array.from({ length: n }, (_, i) => `v1,${btoa(String(i).padStart(32, 'x'))}`)
  const check = (signature: string) => () =>
    verifyStandardWebhook({
      secrets: [DEV.eventsWebhookSecret],
      id,
      timestamp,
      signature,
      body,
      nowMs: Date.now(),
    })
  const one = check(good)
  return [
    {
      name: 'webhook: 1 MiB, 5 listed signatures (the most accepted)',
      baselineName: '1 listed',
      baseline: one,
      run: check([...bogus(4), good].join(' ')),
    },
    {
      name: 'webhook: 1 MiB, 600 listed signatures (refused)',
      baselineName: '1 listed',
      baseline: one,
      run: check([...bogus(599), good].join(' ')),
    },
  ]
}

/** workerd has `crypto.subtle.timingSafeEqual`; Node has the same comparison in node:crypto. */
function installTimingSafeEqual(): void {
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: unknown }
  if (subtle.timingSafeEqual) return
  subtle.timingSafeEqual = (a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView) =>
    timingSafeEqual(toView(a), toView(b))
}

function toView(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  return data instanceof ArrayBuffer
    ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
