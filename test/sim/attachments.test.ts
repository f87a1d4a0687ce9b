import { beforeAll, describe, it } from 'vitest'
import {
  type SimInstanceInfo,
  type UdeskAnswer,
  advanceClock,
  createSimInstance,
  udeskJson,
  udeskUpload,
} from '../helpers/sim'

let sim: SimInstanceInfo
const MIB = 1024 * 1024

beforeAll(async () => {
  sim = await createSimInstance()
})

const call = (method: string, path: string, body?: unknown) =>
  udeskJson(sim.baseUrl, method, path, body)

async function ticket(subject = 'Logs attached') {
  const answer = await call('POST', '/tickets', { ticket: { subject, content: 'See files' } })
  return answer.ticket_id as number
}

async function upload(
  endpoint: string,
  ticketId: number,
  name: string,
  body: Uint8Array | string,
  type?: string,
) {
  const path = `/tickets/${endpoint}?ticket_id=${ticketId}&file_name=${name}`
  return (await udeskUpload(sim.baseUrl, path, body, type)).json() as Promise<UdeskAnswer>
}

describe('upload_file limits', () => {
  it('refuses an empty body or one not sent as octet-stream (2049)', async ({ expect }) => {
    const id = await ticket()

    expect(await upload('upload_file', id, 'empty.txt', '')).toMatchObject({ code: 2049 })
    expect(await upload('upload_file', id, 'a.json', '{"a":1}', 'application/json')).toMatchObject({
      code: 2049,
    })
  })

  it('refuses a file over 20 MB (2051)', async ({ expect }) => {
    const id = await ticket()

    const answer = await upload('upload_file', id, 'huge.bin', new Uint8Array(20 * MIB + 1))

    expect(answer).toEqual({ code: 2051, message: 'Sorry, the file you uploaded exceeds 20mb' })
  })

  it('refuses files that together pass 20 MB on one ticket (2050)', async ({ expect }) => {
    const id = await ticket()
    await upload('upload_file', id, 'part1.bin', new Uint8Array(12 * MIB))

    const answer = await upload('upload_file', id, 'part2.bin', new Uint8Array(9 * MIB))

    expect(answer).toEqual({
      code: 2050,
      message: 'A ticket associated with an attachment cannot exceed 20mb',
    })
  })

  it('refuses an eleventh attachment (2048)', async ({ expect }) => {
    const id = await ticket()
    for (let i = 1; i <= 10; i++)
      expect(await upload('upload_file', id, `f${i}.txt`, `file ${i}`)).toMatchObject({
        code: 1000,
      })

    const answer = await upload('upload_file', id, 'f11.txt', 'one too many')

    expect(answer).toEqual({ code: 2048, message: 'A ticket can upload up to 10 attachments' })
  })
})

describe('reply attachments', () => {
  it('attaches an upload to the reply that names it', async ({ expect }) => {
    const id = await ticket()
    const uploaded = await upload('upload_file_for_reply', id, 'trace.txt', 'stack trace')
    const { attachment_id } = uploaded.message as { attachment_id: number }

    const reply = await call('POST', '/tickets/agent_reply', {
      id,
      agent_id: 1,
      function_type: 'external',
      new_reply: 'See trace',
      attachment_ids: [attachment_id],
    })

    expect(reply).toMatchObject({
      code: 1000,
      data: { data: { attachments: [{ file_name: 'trace.txt', file_size: 11 }] } },
    })
  })

  it('voids uploads two hours after the last one: the reply has no attachments', async ({
    expect,
  }) => {
    const id = await ticket()
    const uploaded = await upload('upload_file_for_reply', id, 'old.txt', 'stale')
    const { attachment_id } = uploaded.message as { attachment_id: number }
    await advanceClock(sim, 2 * 3600 * 1000 + 1000)

    const reply = await call('POST', '/tickets/agent_reply', {
      id,
      agent_id: 1,
      function_type: 'internal',
      new_reply: 'Too late',
      attachment_ids: [attachment_id],
    })

    expect(reply).toMatchObject({ code: 1000, data: { data: { attachments: [] } } })
  })

  it('clears pending uploads with delete_file_for_reply', async ({ expect }) => {
    const id = await ticket()
    await upload('upload_file_for_reply', id, 'x.txt', 'x')
    await call('POST', `/tickets/delete_file_for_reply?ticket_id=${id}`)

    const reply = await call('POST', '/tickets/agent_reply', {
      id,
      agent_id: 1,
      function_type: 'internal',
      new_reply: 'Nothing left',
      attachment_ids: [1],
    })

    expect(reply).toEqual({
      code: 2000,
      message: `Sorry, there is no attachment associated with the ticket ${id}`,
    })
  })
})
