/**
 * The two workers read the same sources (README, "Deploying"): the edge to authenticate and
 * parse, the core to deliver. Each has its own wrangler file, so a source edited in one file
 * only would be checked one way and delivered another. `configDrift` names every difference
 * between the two files' sources and between the vars they share, for `npm run deploy` to stop
 * on (scripts/check-configs.ts) before anything ships.
 */
import { parse } from 'smol-toml'

type Vars = Record<string, unknown> & { SOURCES?: Record<string, unknown> }
type Config = { vars?: Vars; env?: Record<string, { vars?: Vars }> }

/** `[vars]` for development, `[env.NAME.vars]` for an environment. */
function varsOf(config: Config, env: string | undefined): Vars {
  return (env ? config.env?.[env]?.vars : config.vars) ?? {}
}

/**
 * The differences, as sentences naming the source or var (empty when the files agree):
 * sources present in one file only or configured differently, and vars of the edge whose value
 * the core does not have.
 */
export function configDrift(edgeToml: string, coreToml: string, env?: string): string[] {
  const edge = varsOf(parse(edgeToml) as Config, env)
  const core = varsOf(parse(coreToml) as Config, env)
  const problems: string[] = []
  const names = new Set([...Object.keys(edge.SOURCES ?? {}), ...Object.keys(core.SOURCES ?? {})])
  for (const name of [...names].sort()) {
    const [a, b] = [edge.SOURCES?.[name], core.SOURCES?.[name]]
    if (a === undefined) problems.push(`source "${name}" is in wrangler.core.toml only`)
    else if (b === undefined) problems.push(`source "${name}" is in wrangler.toml only`)
    else if (JSON.stringify(sorted(a)) !== JSON.stringify(sorted(b))) {
      problems.push(`source "${name}" differs between wrangler.toml and wrangler.core.toml`)
    }
  }
  for (const [name, value] of Object.entries(edge)) {
    if (name === 'SOURCES') continue
    if (JSON.stringify(core[name]) !== JSON.stringify(value)) {
      problems.push(`var ${name} differs between wrangler.toml and wrangler.core.toml`)
    }
  }
  return problems
}

/** The value with every object's keys in order, so key order is no difference. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  return Object.fromEntries(entries.map(([k, v]) => [k, sorted(v)]))
}
