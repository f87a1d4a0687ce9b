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
