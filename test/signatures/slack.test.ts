import { describe, it } from 'vitest'
import { utf8 } from '../../src/signatures/encoding'
import { verifySlackSignature } from '../../src/signatures/slack'

/**
 * Slack's documented example ("Verifying requests from Slack"), verbatim: the command is
 * `/webhook-collect` (a copy with `/webhooks-collect` does not match the published signature).
 */
const SLACK_DOC = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
    '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
}

function docRequest(overrides: Partial<Parameters<typeof verifySlackSignature>[0]> = {}) {
  return {
    secrets: [SLACK_DOC.secret],
    timestamp: SLACK_DOC.timestamp,
    signature: SLACK_DOC.signature,
    body: utf8(SLACK_DOC.body),
    nowMs: Number(SLACK_DOC.timestamp) * 1000 + 30_000,
    ...overrides,
  }
}

describe('verifySlackSignature', () => {
  it("accepts Slack's documented example", async ({ expect }) => {
    expect(await verifySlackSignature(docRequest())).toEqual({ ok: true })
  })

  it('accepts the example when the secret is the second of two (rotation)', async ({ expect }) => {
    const verdict = await verifySlackSignature(
      docRequest({ secrets: ['new-secret-not-yet-used-by-slack', SLACK_DOC.secret] }),
    )

    expect(verdict).toEqual({ ok: true })
  })

  it('refuses a body changed by one byte', async ({ expect }) => {
    const verdict = await verifySlackSignature(
      docRequest({ body: utf8(SLACK_DOC.body.replace('text=', 'text=x')) }),
    )

    expect(verdict).toEqual({ ok: false, reason: 'no_matching_signature' })
  })

  it('refuses another secret', async ({ expect }) => {
    const verdict = await verifySlackSignature(
      docRequest({ secrets: ['dev-slack-signing-secret'] }),
    )

    expect(verdict).toEqual({ ok: false, reason: 'no_matching_signature' })
  })

  it('refuses a timestamp more than five minutes old or ahead', async ({ expect }) => {
    const ts = Number(SLACK_DOC.timestamp) * 1000

    const old = await verifySlackSignature(docRequest({ nowMs: ts + 301_000 }))
    const ahead = await verifySlackSignature(docRequest({ nowMs: ts - 301_000 }))
    const edge = await verifySlackSignature(docRequest({ nowMs: ts + 300_000 }))

    expect(old).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(ahead).toEqual({ ok: false, reason: 'stale_timestamp' })
    expect(edge).toEqual({ ok: true })
  })

  it('refuses missing headers and signatures that are not v0 hex', async ({ expect }) => {
    const noSig = await verifySlackSignature(docRequest({ signature: null }))
    const noTs = await verifySlackSignature(docRequest({ timestamp: null }))
    const v1 = await verifySlackSignature(
      docRequest({ signature: SLACK_DOC.signature.replace('v0=', 'v1=') }),
    )
    const short = await verifySlackSignature(docRequest({ signature: 'v0=a2114d57' }))

    expect(noSig).toEqual({ ok: false, reason: 'missing_signature' })
    expect(noTs).toEqual({ ok: false, reason: 'missing_signature' })
    expect(v1).toEqual({ ok: false, reason: 'malformed_signature' })
    expect(short).toEqual({ ok: false, reason: 'malformed_signature' })
  })
})
