import { describe, it } from 'vitest'
import { readFormBody } from '../../src/inbound/form-body'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('readFormBody', () => {
  it('reads urlencoded fields, lists repeated names and drops empty inputs', async ({ expect }) => {
    const body = bytes('email=jane%40example.com&topic=a&topic=b&phone=&name=+Jane+')

    const form = await readFormBody(body, 'application/x-www-form-urlencoded', '')

    expect(form).toEqual({
      fields: { email: 'jane@example.com', topic: ['a', 'b'], name: 'Jane' },
      files: [],
    })
  })

  it('reads JSON fields, turning scalars into strings and dropping nulls', async ({ expect }) => {
    const body = bytes(JSON.stringify({ email: 'a@example.com', seats: 12, ok: true, none: null }))

    const form = await readFormBody(body, 'application/json', 'application/json')

    expect(form.fields).toEqual({ email: 'a@example.com', seats: '12', ok: 'true' })
  })

  it('refuses JSON that is not an object', async ({ expect }) => {
    const read = readFormBody(bytes('["a@example.com"]'), 'application/json', 'application/json')

    await expect(read).rejects.toMatchObject({ status: 400, code: 'invalid_payload' })
  })

  it('reads multipart fields and files, skipping a file input left empty', async ({ expect }) => {
    const data = new FormData()
    data.set('email', 'a@example.com')
    data.append('file', new File(['hello'], 'hello.txt', { type: 'text/plain' }))
    data.append('file', new File([], ''))
    const request = new Request('http://x/', { method: 'POST', body: data })
    const contentType = request.headers.get('content-type') ?? ''

    const form = await readFormBody(
      new Uint8Array(await request.arrayBuffer()),
      'multipart/form-data',
      contentType,
    )

    expect(form.fields).toEqual({ email: 'a@example.com' })
    expect(form.files.map((f) => [f.name, f.size])).toEqual([['hello.txt', 5]])
  })

  it('refuses a multipart body that does not match its boundary', async ({ expect }) => {
    const read = readFormBody(
      bytes('not multipart at all'),
      'multipart/form-data',
      'multipart/form-data; boundary=xyz',
    )

    await expect(read).rejects.toMatchObject({ status: 400 })
  })
})
