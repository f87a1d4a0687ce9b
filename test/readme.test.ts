/// <reference types="vite/client" />
import { describe, it } from 'vitest'
import readme from '../README.md?raw'
import coreToml from '../wrangler.core.toml?raw'
import edgeToml from '../wrangler.toml?raw'
import { ConfigSchema, SourceConfigSchema } from '../src/config'
import { TicketOptionsSchema } from '../src/ticket-event'
import { readmeTable } from './helpers/readme-table'

/** First-column names and the other cells of the markdown table under `heading`. */
function tableUnder(heading: string): Map<string, string[]> {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README has no "${heading}"`)
  return readmeTable(readme, start + heading.length + 2)
}

/** Top-level keys of `[vars]` and the names in `[secrets] required` of a wrangler config. */
function wranglerNames(wranglerToml: string): string[] {
  const vars = /\n\[vars\]\n([\s\S]*?)\n\[/.exec(wranglerToml)?.[1] ?? ''
  const varNames = [...vars.matchAll(/^([A-Z][A-Z0-9_]*)\s*=/gm)].map((m) => m[1]!)
  const secrets = /\nrequired\s*=\s*\[([^\]]*)\]/.exec(wranglerToml)?.[1] ?? ''
  return [...varNames, ...[...secrets.matchAll(/"([^"]+)"/g)].map((m) => m[1]!)]
}

/** The default a zod field fills in for a missing value, if it has one. */
function defaultOf(field: { safeParse(value: unknown): { success: boolean; data?: unknown } }) {
  const parsed = field.safeParse(undefined)
  return parsed.success ? parsed.data : undefined
}

const sourceSchemas = SourceConfigSchema.def.options

describe('README "Configuration"', () => {
  it("lists every var and secret of the schema and both workers' configs, and nothing else", ({
    expect,
  }) => {
    const documented = [...tableUnder('### Vars and secrets').keys()].sort()

    const known = new Set([
      ...Object.keys(ConfigSchema.shape),
      ...wranglerNames(edgeToml),
      ...wranglerNames(coreToml),
    ])

    expect(documented).toEqual([...known].sort())
  })

  it("gives each var's default as the schema fills it in", ({ expect }) => {
    const table = tableUnder('### Vars and secrets')

    for (const [name, field] of Object.entries(ConfigSchema.shape)) {
      const fallback = defaultOf(field)
      const cell = table.get(name)?.[1]
      if (fallback === undefined) expect(cell, name).toMatch(/^\((required|none)\)$/)
      else expect(cell, name).toBe(`\`${String(fallback)}\``)
    }
  })

  it('lists every source option of every kind, and nothing else', ({ expect }) => {
    const documented = [...tableUnder('### Source options').keys()].sort()

    const options = new Set(sourceSchemas.flatMap((schema) => Object.keys(schema.shape)))

    expect(documented).toEqual([...options].sort())
  })

  it('names for each source option the kinds that take it, and its default', ({ expect }) => {
    const table = tableUnder('### Source options')

    for (const [option, [kinds = '', fallbackCell = '']] of table) {
      const takers = sourceSchemas
        .filter((s) => option in s.shape)
        .map((s) => s.shape.kind.def.values[0])
      const listed = kinds.startsWith('all')
        ? sourceSchemas.map((s) => s.shape.kind.def.values[0])
        : kinds.split(/,\s*/)
      if (option !== 'secret') expect(listed.sort(), option).toEqual(takers.sort())
      const schema = sourceSchemas.find((s) => option in s.shape)!
      const fallback = defaultOf(schema.shape[option as keyof typeof schema.shape])
      if (typeof fallback === 'string') expect(fallbackCell, option).toBe(`\`${fallback}\``)
      if (Array.isArray(fallback))
        expect(fallbackCell, option).toBe(`\`${JSON.stringify(fallback)}\``)
      if (fallback && typeof fallback === 'object' && !Array.isArray(fallback)) {
        for (const [key, value] of Object.entries(fallback)) {
          expect(fallbackCell, option).toContain(`${key} = "${String(value)}"`)
        }
      }
    }
  })

  it('lists every ticket setting, and nothing else', ({ expect }) => {
    const heading = 'Ticket settings (`ticket = { ... }`):'

    const documented = [...tableUnder(heading).keys()].sort()

    expect(documented).toEqual(Object.keys(TicketOptionsSchema.shape).sort())
  })
})
