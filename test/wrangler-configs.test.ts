/// <reference types="vite/client" />
import { describe, it } from 'vitest'
import coreToml from '../wrangler.core.toml?raw'
import edgeToml from '../wrangler.toml?raw'

/**
 * Each table of a wrangler TOML text by its header (`[vars]`, `[[env.production.services]]`;
 * a repeated `[[...]]` header collects all its entries), as its `key = value` lines without
 * comments or blank lines. The text before the first header is under `''`.
 */
function tables(toml: string): Map<string, string[]> {
  const found = new Map<string, string[]>()
  let header = ''
  for (const raw of toml.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '').trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.startsWith('[')) {
      header = line
      if (!found.has(header)) found.set(header, [])
      continue
    }
    found.set(header, [...(found.get(header) ?? []), line])
  }
  return found
}

const edge = tables(edgeToml)
const core = tables(coreToml)

/** The tables of `config` whose header starts with one of `prefixes`. */
function pick(config: Map<string, string[]>, prefixes: string[]) {
  return [...config].filter(([header]) => prefixes.some((p) => header.startsWith(p)))
}

/** `name = "value"` of a table's lines. */
function value(lines: string[] | undefined, name: string): string | undefined {
  const line = lines?.find((l) => l.startsWith(`${name} =`))
  return line ? JSON.parse(line.slice(name.length + 3)) : undefined
}

describe('the two workers\' configs (README, "Deploying")', () => {
  it('give both workers the same sources, in development and in production', ({ expect }) => {
    const sources = ['[vars.SOURCES.', '[env.production.vars.SOURCES.']

    expect(pick(edge, sources)).toEqual(pick(core, sources))
    expect(pick(edge, sources).length).toBeGreaterThanOrEqual(10)
  })

  it("give each var the edge has the core's value", ({ expect }) => {
    for (const table of ['[vars]', '[env.production.vars]']) {
      const edgeVars = edge.get(table) ?? []
      expect(edgeVars.length, table).toBeGreaterThan(0)
      expect(core.get(table), table).toEqual(expect.arrayContaining(edgeVars))
    }
  })

  it('bind the core by the name it is deployed under, in development and in production', ({
    expect,
  }) => {
    for (const [prefix, coreName] of [
      ['', value(core.get(''), 'name')],
      ['env.production.', value(core.get('[env.production]'), 'name')],
    ] as const) {
      expect(coreName).toMatch(/-core$/)
      expect(value(edge.get(`[[${prefix}services]]`), 'service'), prefix).toBe(coreName)
      const ledger = edge.get(`[[${prefix}durable_objects.bindings]]`)
      expect(value(ledger, 'script_name'), prefix).toBe(coreName)
    }
  })

  it('keep Udesk credentials, queue consumers and Durable Object classes out of the edge', ({
    expect,
  }) => {
    const secrets = [edge.get('[secrets]'), edge.get('[env.production.secrets]')].join('\n')
    for (const name of [
      'UDESK_API_TOKEN',
      'ADMIN_TOKEN',
      'UDESK_HOOK_TOKEN',
      'EVENTS_REPLY_SECRET',
    ]) {
      expect(secrets).not.toContain(name)
    }
    const headers = [...edge.keys()].join('\n')
    expect(headers).not.toMatch(/queues\.consumers|migrations/)
    expect(value(edge.get('[vars]'), 'UDESK_BASE_URL')).toBeUndefined()
  })

  it('give the core no URL of its own: it is reached through the edge only', ({ expect }) => {
    for (const table of ['', '[env.production]']) {
      expect(core.get(table), table).toEqual(
        expect.arrayContaining(['workers_dev = false', 'preview_urls = false']),
      )
    }
  })
})
