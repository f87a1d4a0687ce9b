/**
 * Where a browser may be sent after posting: the form's `_next` field (Formspree's name) when
 * its origin is one of the source's `allowedRedirects`. Anything else (another origin, a
 * relative or `javascript:` URL) is ignored, so the bridge never becomes an open redirect.
 */
export function nextRedirect(next: unknown, allowedRedirects: string[]): string | undefined {
  const url = webUrl(next)
  if (!url) return undefined
  return allowedRedirects.some((allowed) => webUrl(allowed)?.origin === url.origin)
    ? url.href
    : undefined
}

/**
 * The page a refusal page links back to: the `Referer` when it is a web page of an origin the
 * form allows (any origin for `*`), else undefined and the page says to go back instead.
 */
export function backLink(referer: string | null, allowedOrigins: string[]): string | undefined {
  const url = webUrl(referer)
  if (!url) return undefined
  if (allowedOrigins.includes('*')) return url.href
  const origins = allowedOrigins.map((o) => webUrl(o)?.origin)
  return origins.includes(url.origin) ? url.href : undefined
}

function webUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}
