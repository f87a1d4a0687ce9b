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

  it('reads a multipart post of text fields alone, as fetch sends a FormData', async ({
    expect,
  }) => {
    const data = new FormData()
    data.set('email', 'a@example.com')
    data.set('message', 'Hello & welcome')
    const request = new Request('http://x/', { method: 'POST', body: data })
    const body = new Uint8Array(await request.arrayBuffer())

    const form = await readFormBody(
      body,
      'multipart/form-data',
      request.headers.get('content-type')!,
    )

    expect(form).toEqual({
      fields: { email: 'a@example.com', message: 'Hello & welcome' },
      files: [],
    })
  })

  it('refuses a multipart body cut off before its closing boundary', async ({ expect }) => {
    const cut = '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\na@example.com\r\n'

    const read = readFormBody(
      bytes(cut),
      'multipart/form-data',
      'multipart/form-data; boundary=xyz',
    )

    await expect(read).rejects.toMatchObject({ status: 400, code: 'invalid_payload' })
  })
})

const URLENCODED = 'application/x-www-form-urlencoded'

describe('readFormBody: charsets', () => {
  it('decodes an ISO-8859-1 post (issue 10) into the words the visitor typed', async ({
    expect,
  }) => {
    const body = bytes('name=J%FCrgen+M%FCller&email=a@example.com&message=Gr%FC%DFe')

    const form = await readFormBody(body, URLENCODED, `${URLENCODED}; charset=ISO-8859-1`)

    expect(form.fields).toEqual({ name: 'Jürgen Müller', email: 'a@example.com', message: 'Grüße' })
  })

  it.for([
    ['windows-1252', 'message=%80+%93quoted%94', '€ “quoted”'],
    ['GBK', 'message=%C4%E3%BA%C3', '你好'],
    ['GB18030', 'message=%C4%E3%BA%C3', '你好'],
    ['Shift_JIS', 'message=%82%B1%82%F1%82%C9%82%BF%82%CD', 'こんにちは'],
    ['UTF-8', 'message=%E4%BD%A0%E5%A5%BD', '你好'],
  ])('decodes a %s form', async ([charset, text, expected], { expect }) => {
    const form = await readFormBody(bytes(text!), URLENCODED, `${URLENCODED}; charset="${charset}"`)

    expect(form.fields).toEqual({ message: expected })
  })

  it("reads the charset from the browser's _charset_ field", async ({ expect }) => {
    const body = bytes('_charset_=Shift_JIS&message=%82%B1%82%F1')

    const form = await readFormBody(body, URLENCODED, URLENCODED)

    expect(form.fields).toMatchObject({ message: 'こん' })
  })

  it('refuses a charset the runtime cannot decode with 415 naming it', async ({ expect }) => {
    const read = readFormBody(bytes('message=hi'), URLENCODED, `${URLENCODED}; charset=x-klingon`)

    await expect(read).rejects.toMatchObject({
      status: 415,
      message: 'charset "x-klingon" is not supported',
    })
  })

  it('refuses bytes that are not UTF-8 instead of storing U+FFFD the sender never wrote', async ({
    expect,
  }) => {
    const read = readFormBody(bytes('email=a@example.com&message=Gr%FC%DFe'), URLENCODED, '')

    await expect(read).rejects.toMatchObject({
      status: 400,
      issues: [{ message: 'field "message" is not valid utf-8 text' }],
    })
  })

  it('keeps a U+FFFD the sender did write', async ({ expect }) => {
    const form = await readFormBody(bytes('message=%EF%BF%BD'), URLENCODED, URLENCODED)

    expect(form.fields).toEqual({ message: '\uFFFD' })
  })

  it('decodes multipart text fields in the charset of its _charset_ field', async ({ expect }) => {
    const gbk = new Uint8Array([0xc4, 0xe3, 0xba, 0xc3])
    const part = (name: string, value: Uint8Array | string) => [
      bytes(`--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      typeof value === 'string' ? bytes(value) : value,
      bytes('\r\n'),
    ]
    const body = new Uint8Array(
      await new Blob([
        ...part('_charset_', 'GBK'),
        ...part('message', gbk),
        bytes('--XyZ--\r\n'),
      ]).arrayBuffer(),
    )

    const form = await readFormBody(
      body,
      'multipart/form-data',
      'multipart/form-data; boundary=XyZ',
    )

    expect(form.fields).toEqual({ _charset_: 'GBK', message: '你好' })
  })
})

describe('readFormBody: limits', () => {
  const repeated = (n: number) => bytes(Array.from({ length: n }, () => 'a=1').join('&'))

  it('refuses 20,000 repeats of one field (issue 10) with 413 before collecting', async ({
    expect,
  }) => {
    const read = readFormBody(repeated(20_000), URLENCODED, URLENCODED)

    await expect(read).rejects.toMatchObject({
      status: 413,
      message: 'the form sent 20000 fields; at most 200 are accepted',
    })
  })

  it('refuses more values under one name than the form allows', async ({ expect }) => {
    const limits = { maxFields: 1000, maxValuesPerName: 100 }

    const read = readFormBody(repeated(101), URLENCODED, URLENCODED, limits)

    await expect(read).rejects.toMatchObject({
      status: 413,
      message: 'a field name was sent more than 100 times',
    })
  })

  it('collects 100 values of one name as a list, in order', async ({ expect }) => {
    const body = bytes(Array.from({ length: 100 }, (_, i) => `topic=${i}`).join('&'))

    const form = await readFormBody(body, URLENCODED, URLENCODED)

    expect(form.fields.topic).toEqual(Array.from({ length: 100 }, (_, i) => String(i)))
  })

  it('counts multipart parts and JSON fields against the same limits', async ({ expect }) => {
    const data = new FormData()
    for (let i = 0; i < 201; i++) data.append(`f${i}`, 'x')
    const request = new Request('http://x/', { method: 'POST', body: data })
    const contentType = request.headers.get('content-type') ?? ''
    const multipart = new Uint8Array(await request.arrayBuffer())
    const json = bytes(JSON.stringify({ topics: Array.from({ length: 101 }, () => 'x') }))

    const readMultipart = readFormBody(multipart, 'multipart/form-data', contentType)
    const readJson = readFormBody(json, 'application/json', 'application/json')

    await expect(readMultipart).rejects.toMatchObject({ status: 413 })
    await expect(readJson).rejects.toMatchObject({ status: 413 })
  })

  it('keeps a field named __proto__ as a field', async ({ expect }) => {
    const form = await readFormBody(bytes('__proto__=x&email=a@example.com'), URLENCODED, '')

    expect(Object.getPrototypeOf(form.fields)).toBe(Object.prototype)
    expect(Object.keys(form.fields)).toEqual(['__proto__', 'email'])
  })
})
