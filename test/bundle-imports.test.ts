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

/** `spec` imported from `from` (both as the glob names them), as a source path, if it is one. */
function resolveImport(from: string, spec: string): string | undefined {
  const parts = from.split('/').slice(0, -1)
  for (const part of spec.split('/')) {
    if (part === '..') parts.pop()
    else if (part !== '.') parts.push(part)
  }
  const base = parts.join('/')
  return [`${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((path) => path in sources)
}

/**
 * Every source file `entry` reaches through imports of values (an `import type` or `export
 * type` brings no code into the bundle), `entry` included.
 */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>()
  const pending = [entry]
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue
    seen.add(path)
    for (const [, typeOnly, spec] of sources[path]!.matchAll(
      /^(?:import|export)\s+(type\s+)?[^;]*?from\s+'(\.[^']+)'/gm,
    )) {
      const target = typeOnly ? undefined : resolveImport(path, spec!)
      if (target) pending.push(target)
    }
  }
  return seen
}

/**
 * What the edge worker may import from the core's directories: the ledger's stub, to count a
 * duplicate (the class stays in the core); the Slack Web API client, for the intake's
 * `auth.test` (which bot is ours); the two-way settings' defaults.
 */
const EDGE_MAY_IMPORT = [
  '../src/delivery/count-stats.ts',
  '../src/delivery/ledger-stub.ts',
  '../src/outbound/slack-out.ts',
  '../src/outbound/slack-errors.ts',
  '../src/outbound/slack-schemas.ts',
  '../src/outbound/slack-options.ts',
  '../src/outbound/watch-state.ts',
]

describe('the edge worker\'s bundle (src/edge.ts, README "Deploying")', () => {
  it('reaches the acknowledgment path', ({ expect }) => {
    const edge = reachable('../src/edge.ts')

    expect(edge).toContain('../src/routes/webhooks.ts')
    expect(edge).toContain('../src/inbound/accept.ts')
    expect(edge).toContain('../src/signatures/standard-webhooks.ts')
  })

  it('imports no console, delivery, Udesk or two-way code beyond what the intake needs', ({
    expect,
  }) => {
    const core =
      /^\.\.\/src\/(console|delivery|outbound|udesk)\/|^\.\.\/src\/routes\/(admin|udesk-hook)\.ts$/
    const crossing = [...reachable('../src/edge.ts')].filter((path) => core.test(path))

    expect(crossing.filter((path) => !EDGE_MAY_IMPORT.includes(path))).toEqual([])
  })

  it('would notice a console import: the core entry reaches the console and delivery', ({
    expect,
  }) => {
    const core = reachable('../src/core.ts')

    expect(core).toContain('../src/console/routes.tsx')
    expect(core).toContain('../src/delivery/consumer.ts')
    expect(core).toContain('../src/outbound/thread-watch.ts')
  })
})

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
