import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access, copyFile, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parseEnv } from 'node:util'
import { PROJECT_ROOT, writeDevConfigs } from './dev-configs'

export { PROJECT_ROOT }
const WRANGLER_BIN = join(
  dirname(createRequire(import.meta.url).resolve('wrangler/package.json')),
  'bin/wrangler.js',
)

/** Udesk settings that are plain vars in wrangler.toml; the API token is a secret. */
const UDESK_VARS = ['UDESK_BASE_URL', 'UDESK_EMAIL', 'UDESK_MAX_REQUESTS_PER_MINUTE'] as const
const UDESK_SECRETS = ['UDESK_API_TOKEN'] as const

/** Copies the committed development credentials to `.dev.vars`; true when it had to. */
export async function ensureDevVars(root = PROJECT_ROOT): Promise<boolean> {
  const target = join(root, '.dev.vars')
  try {
    await access(target, constants.F_OK)
    return false
  } catch {
    await copyFile(join(root, '.dev.vars.example'), target)
    return true
  }
}

/**
 * The Udesk vars the bridge gets: the environment's when given, else the simulator's URL.
 * Secrets are never put here (they would land in argv): wrangler reads them from the
 * environment itself, see `startWranglerDev`.
 */
export function udeskOverrides(env: NodeJS.ProcessEnv, simulatorBaseUrl: string) {
  const vars: Record<string, string> = { UDESK_BASE_URL: simulatorBaseUrl }
  const overridden: string[] = []
  for (const name of UDESK_VARS) {
    const value = env[name]
    if (!value) continue
    vars[name] = value
    overridden.push(name)
  }
  for (const name of UDESK_SECRETS) if (env[name]) overridden.push(name)
  return { vars: vars as Record<string, string> & { UDESK_BASE_URL: string }, overridden }
}

export type WranglerDevOptions = {
  host: string
  /** 0: a port the kernel picks (`ready` gives the URL). */
  port: number
  /** 0 likewise. */
  inspectorPort: number
  /**
   * Vars and secrets over both workers' files (scripts/dev-configs.ts). Secrets reach wrangler
   * in the child's environment, never in argv (visible to every local user) or a file.
   */
  settings?: Record<string, string>
  /** A file of development secrets (`.dev.vars`); the environment's values win over it. */
  devVarsFile?: string
  /** Where this run's two worker configs are written (an existing directory of its own). */
  configDir: string
  persistTo?: string
  /** 'inherit' also shows wrangler's own log (npm start); 'pipe' only keeps it for `log()`. */
  output?: 'inherit' | 'pipe'
}

export type WranglerDev = {
  /** The edge's URL, once wrangler says it is ready and `/healthz` answers. */
  ready: Promise<string>
  exited: Promise<number | null>
  /** Everything wrangler printed so far. */
  log: () => string
  stop: () => Promise<void>
}

/**
 * Runs both workers in one `wrangler dev -c edge -c core` (its own process group, so workerd
 * goes with it on stop), as they run deployed: the edge serves the port and passes `/admin*` and
 * `/udesk/*` to the core over the service binding; the queues, KV and Durable Objects are local
 * and shared between them (`persistTo`). Secrets come from `devVarsFile`, then the environment
 * (`UDESK_API_TOKEN=... npm start` overrides without touching disk or argv), then `settings`.
 */
export function startWranglerDev(options: WranglerDevOptions): WranglerDev {
  let log = ''
  let child: ReturnType<typeof spawn> | undefined
  const launched = launch(options, (chunk) => (log += chunk)).then((c) => (child = c))
  const exited = launched.then(
    (c) => new Promise<number | null>((done) => c.once('exit', (code) => done(code))),
    () => null,
  )
  // Only wrangler's own "Ready on <url>" proves that this child holds the port: another server
  // already listening there would answer /healthz just as well.
  const port = options.port === 0 ? '\\d+' : String(options.port)
  const readyOn = new RegExp(`Ready on (http://${options.host.replace(/\./g, '\\.')}:${port})`)
  const ready = launched
    .then(() => waitForText(() => log, readyOn, exited))
    .then(async (url) => {
      await waitUntilOk(`${url}/healthz`, exited)
      return url
    })
  return {
    ready,
    exited,
    log: () => log,
    stop: async () => {
      await launched.catch(() => undefined)
      await stopProcessGroup(child?.pid, exited)
    },
  }
}

async function launch(options: WranglerDevOptions, record: (chunk: string) => void) {
  const { configs, secrets } = await writeDevConfigs(options.configDir, {
    settings: options.settings,
  })
  const args = [WRANGLER_BIN, 'dev', ...configs.flatMap((c) => ['-c', c]), '--ip', options.host]
  args.push('--port', String(options.port), '--inspector-port', String(options.inspectorPort))
  args.push('--inspector-ip', options.host, '--show-interactive-dev-session=false')
  if (options.persistTo) args.push('--persist-to', options.persistTo)
  const devVars = options.devVarsFile ? parseEnv(await readFile(options.devVarsFile, 'utf8')) : {}
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...devVars, ...process.env, ...secrets, WRANGLER_SEND_METRICS: 'false' },
  })
  const echo = (options.output ?? 'inherit') === 'inherit'
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    from?.on('data', (chunk: Buffer) => {
      record(chunk.toString())
      if (echo) to.write(chunk)
    })
  }
  return child
}

/**
 * The first group of `pattern` once `read()` matches it; fails when the process exits first or
 * after 90 s.
 */
async function waitForText(read: () => string, pattern: RegExp, exited: Promise<unknown>) {
  let dead = false
  void exited.then(() => (dead = true))
  const deadline = Date.now() + 90_000
  for (;;) {
    const found = pattern.exec(read())
    if (found) return found[1]!
    if (dead) throw new Error(`wrangler dev exited before it was ready (${pattern} never came)`)
    if (Date.now() > deadline) throw new Error(`wrangler dev printed no ${pattern} within 90 s`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Polls `url` until it answers 2xx; fails fast when the process behind it dies first. */
export async function waitUntilOk(
  url: string,
  exited?: Promise<unknown>,
  timeoutMs = 90_000,
): Promise<void> {
  let dead = false
  void exited?.then(() => (dead = true))
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (dead) throw new Error(`the server behind ${url} exited before it answered`)
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`)
}

async function stopProcessGroup(pid: number | undefined, exited: Promise<unknown>) {
  if (pid === undefined) return
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name)
    } catch {
      // already gone
    }
  }
  signal('SIGTERM')
  const killed = await Promise.race([
    exited.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
  ])
  // workerd may outlive wrangler by a moment; make sure nothing of the group is left.
  signal(killed ? 'SIGTERM' : 'SIGKILL')
}
