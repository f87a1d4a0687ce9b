import { readFormBody } from '../src/inbound/form-body'
import { DEFAULT_FORM_LIMITS } from '../src/inbound/form-limits'

/** A case timed twice: `small` is the baseline, `large` has ten times the fields. */
export type ScalingCase = {
  name: string
  small: () => Promise<unknown>
  large: () => Promise<unknown>
}

const URLENCODED = 'application/x-www-form-urlencoded'
const encoder = new TextEncoder()
/** Limits lifted, so the collection itself is measured rather than the refusal. */
const UNBOUNDED = { maxFields: Infinity, maxValuesPerName: Infinity }

function repeated(n: number): Uint8Array {
  return encoder.encode(Array.from({ length: n }, () => 'a=1').join('&'))
}

async function multipart(n: number): Promise<{ body: Uint8Array; contentType: string }> {
  const data = new FormData()
  for (let i = 0; i < n; i++) data.append('a', '1')
  const request = new Request('http://bench/', { method: 'POST', body: data })
  const contentType = request.headers.get('content-type') ?? ''
  return { body: new Uint8Array(await request.arrayBuffer()), contentType }
}

/** Swallows the expected 413, so a refusal is timed like an answer. */
async function settle(read: Promise<unknown>): Promise<unknown> {
  return read.catch((err: unknown) => err)
}

/**
 * Issue 10's quadratic form: `a=1&a=1&...` repeated 20,000 times against 2,000 in the same
 * run. Collection is linear when the ratio stays near 10 (it was about 100 when each repeat
 * copied the list); with the default limits both are refused before collecting.
 */
export async function formScalingCases(): Promise<ScalingCase[]> {
  const [small, large] = [repeated(2_000), repeated(20_000)]
  const [smallPart, largePart] = [await multipart(2_000), await multipart(20_000)]
  const read = (body: Uint8Array, type: string, contentType: string, limits = UNBOUNDED) =>
    settle(readFormBody(body, type, contentType, limits))
  return [
    {
      name: 'urlencoded, one name repeated, collected',
      small: () => read(small, URLENCODED, URLENCODED),
      large: () => read(large, URLENCODED, URLENCODED),
    },
    {
      name: 'multipart, one name repeated, collected',
      small: () => read(smallPart.body, 'multipart/form-data', smallPart.contentType),
      large: () => read(largePart.body, 'multipart/form-data', largePart.contentType),
    },
    {
      name: 'urlencoded, default limits (413 before collecting)',
      small: () => read(small, URLENCODED, URLENCODED, DEFAULT_FORM_LIMITS),
      large: () => read(large, URLENCODED, URLENCODED, DEFAULT_FORM_LIMITS),
    },
  ]
}
