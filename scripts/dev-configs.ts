/**
 * The two workers' configs for one local run (`npm start`, the e2e tests, chaos, bench): the
 * edge (wrangler.toml) and the core (wrangler.core.toml), as their files say, with a run's
 * settings over their `[vars]`.
 *
 * Why files and not `wrangler dev --var`: with two `--config`s, wrangler dev (4.86) gives
 * `--var`, `--env-file` and `.dev.vars` only to the first worker; the second gets its file's
 * vars and, for the secrets its `[secrets] required` names, the process environment. So each
 * run writes both configs (JSON, with `main` made absolute) to a directory of its own and hands
 * the secrets over in the environment of the `wrangler dev` it starts.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'smol-toml'
import { IntakeConfigSchema } from '../src/config'

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

export const EDGE_CONFIG = join(PROJECT_ROOT, 'wrangler.toml')
export const CORE_CONFIG = join(PROJECT_ROOT, 'wrangler.core.toml')

/**
 * What the edge reads besides its file's vars and secrets (src/config.ts `IntakeConfigSchema`,
 * and the Slack bot's API URL): other settings go to the core only, so a test run finds out
 * when the edge starts to need one it is not given in production.
 */
const EDGE_SETTINGS = new Set([...Object.keys(IntakeConfigSchema.shape), 'SLACK_API_URL'])

/**
 * A wrangler TOML file as written (read with smol-toml: importing wrangler into `npm start`'s
 * own process would install wrangler's signal handlers there, and Ctrl-C would exit before the
 * bridge is stopped).
 */
type RawConfig = {
  main?: string
  vars?: Record<string, unknown>
  secrets?: { required?: string[] }
  queues?: Record<string, unknown>
  env?: unknown
}

export type DevConfigOptions = {
  /** Vars and secrets by name, over the files' (`[secrets] required` names go as secrets). */
  settings?: Record<string, string>
  /**
   * Leave out the core's queue consumers (bench/workers.ts: the acknowledgment matrix measures
   * what a sender waits for, and its messages simply wait).
   */
  withoutConsumers?: boolean
}

export type DevConfigs = {
  /** `wrangler dev -c edge -c core`: the edge first, it serves the port. */
  configs: [edge: string, core: string]
  /** Secret values, for the `wrangler dev` process's environment (the bench: its bindings). */
  secrets: Record<string, string>
}

/** Writes `edge.wrangler.json` and `core.wrangler.json` into `dir` (which must exist). */
export async function writeDevConfigs(dir: string, options: DevConfigOptions = {}) {
  const settings = options.settings ?? {}
  const secrets: Record<string, string> = {}
  const written: string[] = []
  for (const [worker, path] of [
    ['edge', EDGE_CONFIG],
    ['core', CORE_CONFIG],
  ] as const) {
    const rawConfig = parse(await readFile(path, 'utf8')) as RawConfig
    const required = new Set(rawConfig.secrets?.required ?? [])
    const vars: Record<string, unknown> = { ...rawConfig.vars }
    for (const [name, value] of Object.entries(settings)) {
      if (required.has(name)) secrets[name] = value
      else if (worker === 'core' || name in vars || EDGE_SETTINGS.has(name)) vars[name] = value
    }
    const config: Record<string, unknown> = {
      ...rawConfig,
      main: resolve(PROJECT_ROOT, rawConfig.main ?? ''),
      vars,
    }
    delete config.env
    if (worker === 'core' && options.withoutConsumers) {
      config.queues = { ...rawConfig.queues, consumers: [] }
    }
    const target = join(dir, `${worker}.wrangler.json`)
    await writeFile(target, JSON.stringify(config, null, 2))
    written.push(target)
  }
  return { configs: written as DevConfigs['configs'], secrets } satisfies DevConfigs
}
