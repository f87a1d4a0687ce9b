import { describe, it } from 'vitest'
import { createSimInstance, simUrl, udeskCall, udeskUpload } from '../helpers/sim'

async function json<T>(response: Response | Promise<Response>): Promise<T> {
  return (await response).json() as Promise<T>
}

describe('inbox page', () => {
  it("lists an instance's tickets newest first, with customer, tags and replies", async ({
    expect,
  }) => {
    const sim = await createSimInstance()
    await udeskCall(sim.baseUrl, 'POST', '/customers', {
      customer: { email: 'ana@example.com', nick_name: 'Ana Lima' },
    })
    await udeskCall(sim.baseUrl, 'POST', '/tickets', {
      ticket: { subject: 'Older ticket', content: 'first' },
    })
    const { ticket_id } = await json<{ ticket_id: number }>(
      udeskCall(sim.baseUrl, 'POST', '/tickets', {
        ticket: {
          subject: 'Disk full on <db-1>',
          content: 'The disk is full',
          type: 'email',
          type_content: 'ana@example.com',
          priority: '紧急',
          tags: 'alert,disk',
        },
      }),
    )
    await udeskCall(sim.baseUrl, 'POST', '/tickets/customer_reply', {
      id: ticket_id,
      content_type: 'text',
      new_reply: 'Any news?',
    })
    await udeskCall(sim.baseUrl, 'POST', '/tickets/agent_reply', {
      id: ticket_id,
      agent_id: 2,
      function_type: 'internal',
      new_reply: 'Looking into it',
    })

    const response = await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)
    const page = await response.text()

    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    expect(page).toMatch(/^<!DOCTYPE html><html lang="en">/)
    expect(page.indexOf('Disk full')).toBeLessThan(page.indexOf('Older ticket'))
    expect(page).toContain('Disk full on &lt;db-1&gt;')
    expect(page).toContain('紧急')
    expect(page).toContain('Ana Lima &lt;ana@example.com&gt;')
    expect(page).toContain('alert, disk')
    expect(page).toContain('<strong>Ana Lima</strong> (customer), external reply')
    expect(page).toContain('<strong>Tom</strong> (agent), internal note')
  })

  it('links the attachments of a ticket to their bytes', async ({ expect }) => {
    const sim = await createSimInstance()
    const { ticket_id } = await json<{ ticket_id: number }>(
      udeskCall(sim.baseUrl, 'POST', '/tickets', {
        ticket: { subject: 'With a file', content: 'see log' },
      }),
    )
    const upload = udeskUpload(
      sim.baseUrl,
      `/tickets/upload_file?ticket_id=${ticket_id}&file_name=boot.log`,
      'kernel panic',
    )
    const { message } = await json<{ message: { url: string } }>(upload)

    const page = await (await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)).text()
    const file = await fetch(message.url)

    expect(page).toContain(`href="${message.url}"`)
    expect(page).toContain('boot.log (12 bytes)')
    expect(await file.text()).toBe('kernel panic')
  })

  it("names priority and status in English beside Udesk's Chinese names", async ({ expect }) => {
    const sim = await createSimInstance()
    await udeskCall(sim.baseUrl, 'POST', '/tickets', {
      ticket: { subject: 'Urgent one', content: 'now', priority: '紧急' },
    })
    await udeskCall(sim.baseUrl, 'POST', '/tickets', {
      ticket: { subject: 'Standard one', content: 'later', priority: '标准' },
    })

    const page = await (await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)).text()

    expect(page).toContain('urgent (紧急)')
    expect(page).toContain('medium (标准)')
    expect(page).toContain('open (开启)')
    expect(page).not.toMatch(/<dd>[紧高标低][^(<]*<\/dd>/)
  })

  it('lists every ticket at the top by the id the bridge logs and its Udesk number', async ({
    expect,
  }) => {
    const sim = await createSimInstance()
    const { ticket_id } = await json<{ ticket_id: number }>(
      udeskCall(sim.baseUrl, 'POST', '/tickets', {
        ticket: { subject: 'Listed first', content: 'a' },
      }),
    )
    const { ticket } = await json<{ ticket: { field_num: string } }>(
      udeskCall(sim.baseUrl, 'GET', `/tickets/detail?id=${ticket_id}`),
    )

    const page = await (await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)).text()

    const list = page.slice(page.indexOf('<table'), page.indexOf('</table>'))
    expect(page.indexOf('</table>')).toBeLessThan(page.indexOf('<article'))
    expect(list).toContain(`<a href="#ticket-${ticket_id}">${ticket_id} (${ticket.field_num})</a>`)
    expect(list).toContain('Listed first')
    expect(page).toContain(`<article id="ticket-${ticket_id}"`)
  })

  it('renders content as HTML in a sandboxed frame that may run no script', async ({ expect }) => {
    const sim = await createSimInstance()
    const content = '<p>Hello <b>agent</b></p><script>alert(1)</script>'
    await udeskCall(sim.baseUrl, 'POST', '/tickets', {
      ticket: { subject: 'Rich content', content },
    })

    const response = await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)
    const page = await response.text()

    expect(response.headers.get('content-security-policy')).toBe("script-src 'none'")
    const frame = /<iframe class="rendered content"[^>]*>/.exec(page)?.[0] ?? ''
    expect(frame).toContain('sandbox=""')
    expect(frame).toContain('&lt;p&gt;Hello &lt;b&gt;agent&lt;/b&gt;&lt;/p&gt;')
    expect(page).not.toContain('<script>')
  })

  it('says so when there are no tickets, and refreshes itself', async ({ expect }) => {
    const sim = await createSimInstance()

    const page = await (await fetch(`${simUrl()}/_sim/instances/${sim.id}/`)).text()

    expect(page).toContain('No tickets yet.')
    expect(page).toContain('<meta http-equiv="refresh" content="5"/>')
  })

  it('serves the default instance at /', async ({ expect }) => {
    const response = await fetch(`${simUrl()}/`)

    expect(response.status).toBe(200)
    expect(await response.text()).toContain('Instance <code>default</code>')
  })
})
