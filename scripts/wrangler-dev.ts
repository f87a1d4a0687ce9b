import { spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access, copyFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
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
  port: number
  inspectorPort: number
  /** Plain vars (`--var`): never secrets, argv is visible to every local user. */
  vars?: Record<string, string>
  /** Secrets for the worker, handed over in the child's environment. */
  secrets?: Record<string, string>
  persistTo?: string
  /** 'inherit' also shows wrangler's own log (npm start); 'pipe' only keeps it for `log()`. */
  output?: 'inherit' | 'pipe'
}

export type WranglerDev = {
  url: string
  ready: Promise<void>
  exited: Promise<number | null>
  /** Everything wrangler printed so far. */
  log: () => string
  stop: () => Promise<void>
}

/**
 * Runs `wrangler dev` in its own process group (so workerd goes with it on stop).
 * `--env-file .dev.vars` instead of the implicit .dev.vars makes wrangler (4.86, with
 * `[secrets]` in wrangler.toml) also read the required secrets from process.env, and
 * process.env wins over the file: `UDESK_API_TOKEN=... npm start` overrides without touching
 * disk or argv.
 */
export function startWranglerDev(options: WranglerDevOptions): WranglerDev {
  const args = [WRANGLER_BIN, 'dev', '--ip', options.host, '--port', String(options.port)]
  args.push('--inspector-port', String(options.inspectorPort), '--inspector-ip', options.host)
  args.push('--env-file', '.dev.vars', '--show-interactive-dev-session=false')
  if (options.persistTo) args.push('--persist-to', options.persistTo)
  for (const [name, value] of Object.entries(options.vars ?? {})) {
    args.push('--var', `${name}:${value}`)
  }
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.secrets, WRANGLER_SEND_METRICS: 'false' },
  })
  const echo = (options.output ?? 'inherit') === 'inherit'
  let log = ''
  for (const [from, to] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    from.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (echo) to.write(chunk)
    })
  }
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  const url = `http://${options.host}:${options.port}`
  // Only wrangler's own "Ready on <url>" proves that this child holds the port: another server
  // already listening there would answer /healthz just as well.
  const ready = waitForText(() => log, `Ready on ${url}`, exited).then(() =>
    waitUntilOk(`${url}/healthz`, exited),
  )
  return {
    url,
    ready,
    exited,
    log: () => log,
    stop: () => stopProcessGroup(child.pid, exited),
  }
}

/** Resolves once `read()` contains `text`; fails when the process exits first or after 90 s. */
async function waitForText(read: () => string, text: string, exited: Promise<unknown>) {
  let dead = false
  void exited.then(() => (dead = true))
  const deadline = Date.now() + 90_000
  while (!read().includes(text)) {
    if (dead) throw new Error(`wrangler dev exited before it was ready (${text} never came)`)
    if (Date.now() > deadline) throw new Error(`wrangler dev printed no "${text}" within 90 s`)
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
