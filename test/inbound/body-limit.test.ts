import { describe, it } from 'vitest'
import { readBodyWithin } from '../../src/inbound/body-limit'

function streamOf(chunks: number, size: number) {
  let sent = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === chunks) return controller.close()
      sent++
      controller.enqueue(new Uint8Array(size).fill(120))
    },
  })
  return { stream, sent: () => sent }
}

const request = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://bridge.test/', { method: 'POST', body, headers })

describe('readBodyWithin', () => {
  it('returns the whole body when it fits, exactly at the limit too', async ({ expect }) => {
    const body = await readBodyWithin(request('x'.repeat(100)), 100)

    expect(body.byteLength).toBe(100)
  })

  it('refuses a declared Content-Length over the limit without reading', async ({ expect }) => {
    const { stream, sent } = streamOf(10, 10)

    const read = readBodyWithin(request(stream, { 'content-length': '101' }), 100)

    await expect(read).rejects.toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(sent()).toBeLessThanOrEqual(1)
  })

  it('stops reading a stream as soon as it passes the limit', async ({ expect }) => {
    const { stream, sent } = streamOf(1000, 64)

    const read = readBodyWithin(request(stream), 1000)

    await expect(read).rejects.toMatchObject({ status: 413 })
    expect(sent()).toBeLessThan(30)
  })

  it('reads a body of declared length in one piece, and still refuses one that runs past the limit', async ({
    expect,
  }) => {
    const fits = await readBodyWithin(request('y'.repeat(64), { 'content-length': '64' }), 100)
    // HTTP frames a real request by its Content-Length; a stream built in the worker is not.
    const lying = readBodyWithin(request(streamOf(10, 64).stream, { 'content-length': '64' }), 100)

    expect(new TextDecoder().decode(fits)).toBe('y'.repeat(64))
    await expect(lying).rejects.toMatchObject({ status: 413 })
  })

  it('counts a chunked body while reading, whatever length it declares', async ({ expect }) => {
    const { stream, sent } = streamOf(1000, 64)
    const headers = { 'content-length': '64', 'transfer-encoding': 'chunked' }

    const read = readBodyWithin(request(stream, headers), 1000)

    await expect(read).rejects.toMatchObject({ status: 413 })
    expect(sent()).toBeLessThan(30)
  })

  it('reads an empty body as no bytes', async ({ expect }) => {
    const body = await readBodyWithin(new Request('http://bridge.test/', { method: 'POST' }), 10)

    expect(body.byteLength).toBe(0)
  })
})
