import { BRIDGE_URL, post } from '../helpers/signed-request'

export const unique = () => crypto.randomUUID().slice(0, 8)
/** A visitor of this test only: the shared simulator keeps every customer. */
export const visitor = () => `visitor-${unique()}@example.com`

/** A form posted by a script with fetch() and JSON. */
export function jsonPost(source: string, fields: unknown, headers: Record<string, string> = {}) {
  return post(source, JSON.stringify(fields), { 'content-type': 'application/json', ...headers })
}

/** A form with files, as a browser sends it (multipart/form-data). */
export function multipartPost(source: string, form: FormData) {
  return new Request(`${BRIDGE_URL}/webhooks/${source}`, { method: 'POST', body: form })
}
