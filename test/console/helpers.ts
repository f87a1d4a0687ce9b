import { exports } from 'cloudflare:workers'

export const CONSOLE = 'https://bridge.test'

/** A same-origin form post, as the console's own pages send it. */
export function formPost(path: string, fields: Record<string, string>, headers: HeadersInit = {}) {
  return exports.default.fetch(`${CONSOLE}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: CONSOLE,
      'sec-fetch-site': 'same-origin',
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  })
}

/** Signs in with the development admin token; returns the `cookie` header to send back. */
export async function signIn(): Promise<string> {
  const response = await formPost('/admin/sign-in', { token: 'dev-admin-token' })
  const setCookie = response.headers.get('set-cookie') ?? ''
  if (response.status !== 303 || !setCookie) throw new Error(`sign-in: ${response.status}`)
  return setCookie.split(';')[0]!
}

/** A console page as a signed-in browser gets it. */
export function page(path: string, cookie: string) {
  return exports.default.fetch(`${CONSOLE}${path}`, { headers: { cookie }, redirect: 'manual' })
}
