import { exports } from 'cloudflare:workers'
import { describe, it, vi } from 'vitest'
import slackMessage from '../fixtures/slack/message.json'
import { post, slackRequest, standardWebhookRequest } from '../helpers/signed-request'
import { repliesOf, settle, ticketWith, udesk } from '../helpers/udesk-reader'

describe('sender text reaches Udesk escaped', () => {
  it('escapes a JSON form message and name; the customer name carries no markup', async ({
    expect,
  }) => {
    const email = `ada-${crypto.randomUUID().slice(0, 8)}@example.com`
    const body = JSON.stringify({
      email,
      name: 'Ada <b onmouseover=alert(1)>X</b>',
      message: '<img src=x onerror=alert(1)>',
    })

    const response = await exports.default.fetch(
      post('contact', body, { 'content-type': 'application/json' }),
    )

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.content).toMatch(/^&lt;img src=x onerror=alert\(1\)&gt;<br>\n/)
    expect(ticket.content).toContain(
      `From: Ada &lt;b onmouseover=alert(1)&gt;X&lt;/b&gt; &lt;${email}&gt;`,
    )
    expect(ticket.content).not.toMatch(/<(img|b)\b/)
    const customer = await udesk.getCustomer({ type: 'email', content: email })
    expect(customer?.nick_name).toBe('Ada ‹b onmouseover=alert(1)›X‹/b›')
  })

  it('escapes signed-webhook content and keeps its subject free of markup', async ({ expect }) => {
    const thread = `escape-${crypto.randomUUID()}`
    const open = {
      type: 'ticket.open',
      thread,
      subject: `<script>alert(1)</script> ${thread}`,
      content: `${thread}\n<svg onload=alert(1)>  two  spaces`,
    }

    await exports.default.fetch(await standardWebhookRequest(open))
    await exports.default.fetch(
      await standardWebhookRequest({ type: 'ticket.reply', thread, content: 'a & <b>' }),
    )

    const ticket = await ticketWith(thread)
    expect(ticket.subject).toBe(`‹script›alert(1)‹/script› ${thread}`)
    expect(ticket.content).toContain(
      `${thread}<br>\n&lt;svg onload=alert(1)&gt; &nbsp;two &nbsp;spaces`,
    )
    await vi.waitFor(async () => {
      const [reply] = await repliesOf(ticket.id)
      expect(reply?.content?.split('<br>')[0]).toBe('a &amp; &lt;b&gt;')
    }, settle)
  })

  it('opens a ticket when a form subject and name are only control characters', async ({
    expect,
  }) => {
    // Before: the subject and name became blanks, Udesk refused them (code 2000) and the
    // accepted post was dead-lettered.
    const email = `ctrl-${crypto.randomUUID().slice(0, 8)}@example.com`
    const body = JSON.stringify({ email, subject: '\u0001\u0002', name: '\u0003', message: 'hi' })

    const response = await exports.default.fetch(
      post('contact', body, { 'content-type': 'application/json' }),
    )

    expect(response.status).toBe(202)
    const ticket = await ticketWith(email)
    expect(ticket.subject).toBe('(no subject)')
    const customer = await udesk.getCustomer({ type: 'email', content: email })
    expect(customer?.nick_name).toBe(email)
  })

  it('opens a ticket for a Slack message whose first line is only control characters', async ({
    expect,
  }) => {
    const n = crypto.randomUUID().slice(0, 8)
    const marker = `ctrl-slack-${n}`
    const payload = {
      ...slackMessage,
      event_id: `Ev${n}`,
      event: {
        ...slackMessage.event,
        channel: `C${n}`,
        ts: `1700000000.${n}`,
        text: `\u0001\n${marker}`,
      },
    }

    expect((await exports.default.fetch(await slackRequest(payload))).status).toBe(202)
    expect((await ticketWith(marker)).subject).toBe('(no subject)')
  })

  it('refuses a signed webhook whose subject has no visible character', async ({ expect }) => {
    const open = {
      type: 'ticket.open',
      thread: `ctrl-${crypto.randomUUID()}`,
      subject: '\u0000',
      content: 'x',
    }

    const response = await exports.default.fetch(await standardWebhookRequest(open))

    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      error: 'invalid_payload',
      issues: [{ path: ['subject'], message: 'subject has no visible characters' }],
    })
  })
})
