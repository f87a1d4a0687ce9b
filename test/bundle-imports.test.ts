/// <reference types="vite/client" />
import { describe, it } from 'vitest'

/** Every worker source file, as text. */
const sources = import.meta.glob<string>('../src/**/*.{ts,tsx}', {
  query: '?raw',
  import: 'default',
  eager: true,
})

/** Files whose imports match `pattern`, by path. */
function importing(pattern: RegExp): string[] {
  return Object.entries(sources)
    .filter(([path, text]) => !path.endsWith('env.d.ts') && pattern.test(text))
    .map(([path]) => path)
}

describe('the deploy bundle (README "Performance")', () => {
  it('has read the worker sources', ({ expect }) => {
    expect(Object.keys(sources)).toContain('../src/index.ts')
    expect(Object.keys(sources).length).toBeGreaterThan(100)
  })

  it("never pulls in zod's classic build: schemas come from src/zod.ts or zod/mini", ({
    expect,
  }) => {
    expect(importing(/from '(zod|zod\/v4|zod\/v4\/classic)'/)).toEqual([])
  })

  it("never pulls in z.catch, which keeps all of zod's utilities: catchUndefined instead", ({
    expect,
  }) => {
    // src/zod.ts names it in the comment that explains catchUndefined.
    expect(importing(/\bz\.catch\(/).filter((path) => path !== '../src/zod.ts')).toEqual([])
  })

  it("never builds a Hono app with the default routers: Hono comes from 'hono/tiny'", ({
    expect,
  }) => {
    expect(importing(/import \{[^}]*\bHono\b[^}]*\} from 'hono'/)).toEqual([])
  })

  it("never pulls in an HTML parser: Udesk replies are read with the runtime's HTMLRewriter", ({
    expect,
  }) => {
    expect(importing(/from '(htmlparser2|domhandler|entities|html-entities)(\/[^']*)?'/)).toEqual(
      [],
    )
  })
})
