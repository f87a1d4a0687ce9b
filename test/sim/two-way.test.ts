import { describe, it } from 'vitest'
import { freshSlack, seedSlackMessage } from '../helpers/slack-sim'
import {
  createSimInstance,
  simState,
  simUrl,
  udeskCall,
  type SimInstanceInfo,
} from '../helpers/sim'

async function ticketIn(sim: SimInstanceInfo, subject: string): Promise<number> {
  const response = await udeskCall(sim.baseUrl, 'POST', '/tickets', {
    ticket: { subject, content: 'Dashboard down' },
  })
  return ((await response.json()) as { ticket_id: number }).ticket_id
}

function postForm(url: string, fields: Record<string, string>) {
  return fetch(url, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' })
}

describe("the inbox's agent forms", () => {
  it("sends a public reply as the chosen agent, written as Udesk's editor writes it", async ({
    expect,
  }) => {
    const sim = await createSimInstance()
    const id = await ticketIn(sim, 'Dashboard down')
    const desk = `${simUrl()}/_sim/instances/${sim.id}/_sim/inbox/tickets/${id}`

    const response = await postForm(`${desk}/reply`, {
      agent_id: '3',
      visibility: 'public',
      content: 'Hello Ana,\n\nFixed <now>.',
    })

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`/_sim/instances/${sim.id}/`)
    const [ticket] = (await simState(sim.controlUrl)).tickets
    expect(ticket?.replies).toMatchObject([
      {
        content: '<p>Hello Ana,</p><p><br></p><p>Fixed &lt;now&gt;.</p>',
        function_type: 'external',
        author: { nick_name: 'Jerry', user_type: 'agent' },
      },
    ])
    expect(ticket?.agent_replied_at).not.toBeNull()
  })

  it('adds an internal note, which leaves agent_replied_at alone', async ({ expect }) => {
    const sim = await createSimInstance()
    const id = await ticketIn(sim, 'Printer on fire')
    const desk = `${simUrl()}/_sim/instances/${sim.id}/_sim/inbox/tickets/${id}`

    await postForm(`${desk}/reply`, { agent_id: '2', visibility: 'internal', content: 'checking' })

    const [ticket] = (await simState(sim.controlUrl)).tickets
    expect(ticket?.replies.map((r) => r.function_type)).toEqual(['internal'])
    expect(ticket?.agent_replied_at).toBeNull()
  })

  it('sets the status with a button, logged as a change, and refuses a blank reply', async ({
    expect,
  }) => {
    const sim = await createSimInstance()
    const id = await ticketIn(sim, 'Login broken')
    const desk = `${simUrl()}/_sim/instances/${sim.id}/_sim/inbox/tickets/${id}`

    const resolved = await postForm(`${desk}/status`, { status_id: '2' })
    const blank = await postForm(`${desk}/reply`, {
      agent_id: '2',
      visibility: 'public',
      content: ' ',
    })

    expect(resolved.status).toBe(303)
    expect(blank.status).toBe(400)
    const [ticket] = (await simState(sim.controlUrl)).tickets
    expect(ticket?.status_en).toBe('resolved')
    expect(ticket?.change_logs.flatMap((l) => l.changes.map((c) => c.field))).toEqual(['status_id'])
    expect(ticket?.replies).toEqual([])
  })

  it('shows the forms on the inbox page, the current status button disabled', async ({
    expect,
  }) => {
    const sim = await createSimInstance()
    const id = await ticketIn(sim, 'Shown')

    const page = await (await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)).text()

    expect(page).toContain(`action="/_sim/instances/${sim.id}/_sim/inbox/tickets/${id}/reply"`)
    expect(page).toContain('Send public reply')
    expect(page).toContain('Add internal note')
    expect(page).toMatch(/<button type="submit" name="status_id" value="1" disabled="">/)
  })
})

describe('the Slack double page', () => {
  it("shows each channel's threads", async ({ expect }) => {
    const slack = await freshSlack()
    await seedSlackMessage(slack, { channel: 'C0PAGE', user: 'U0CUSTOMER', text: 'a < b' })

    const page = await (await fetch(`${simUrl()}/_sim/instances/${slack.sim.id}/slack`)).text()

    expect(page).toContain('<h2 id="channel-C0PAGE">#C0PAGE</h2>')
    expect(page).toContain('<pre class="text">a &lt; b</pre>')
  })
})
