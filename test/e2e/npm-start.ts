/**
 * `npm start` as a user runs it (scripts/start.ts in its own process group, as a terminal runs
 * a job), and what a user copies from its banner and from the README.
 */
import { execFile, spawn } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { vi } from 'vitest'
import { PROJECT_ROOT } from '../../scripts/wrangler-dev'

const TSX = join(PROJECT_ROOT, 'node_modules/.bin/tsx')
const run = promisify(execFile)

export type NpmStart = {
  pid: number
  exited: Promise<number | null>
  output: () => string
}

export function npmStart(env: Record<string, string>): NpmStart {
  const child = spawn(TSX, ['scripts/start.ts'], {
    cwd: PROJECT_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return { pid: child.pid!, exited, output: () => output }
}

/** Waits for the whole banner; fails early with npm start's output when it exits instead. */
export async function untilRunning(started: NpmStart, timeout = 150_000): Promise<string> {
  let exited = false
  void started.exited.then(() => (exited = true))
  await vi.waitFor(
    () => {
      if (exited) throw new Error(`npm start exited:\n${started.output()}`)
      // The banner's last line: the `export` lines above it may come in a later chunk than
      // "udesk-bridge is running", and a test reading them too early sent to the default port.
      const output = started.output()
      if (!output.includes('udesk-bridge is running') || !output.includes('Ctrl-C stops both.')) {
        throw new Error('not yet')
      }
    },
    { timeout, interval: 250 },
  )
  return started.output()
}

/** Sends `signal` to the whole process group, as a terminal does; never throws. */
export function signalGroup(started: NpmStart, signal: NodeJS.Signals): void {
  try {
    process.kill(-started.pid, signal)
  } catch {
    // already gone
  }
}

/** Every `export NAME=value` line in `text` (what a user pastes), as an environment. */
export function exportsIn(text: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const m of text.matchAll(/^\s*export ([A-Z_][A-Z0-9_]*)=(\S+)\s*$/gm)) found[m[1]!] = m[2]!
  return found
}

/** The value of a `  name   value` row of the banner. */
export function bannerRow(banner: string, name: string): string {
  const row = new RegExp(`^  ${name} +(\\S+)`, 'm').exec(banner)
  if (!row) throw new Error(`the banner has no "${name}" row:\n${banner}`)
  return row[1]!
}

/**
 * The shell commands of a markdown text's `sh` blocks, one per logical line (continuations
 * joined, comments and blank lines dropped), in order.
 */
export function shellCommands(markdown: string): string[] {
  const commands: string[] = []
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const joined = block[1]!.replace(/\\\n\s*/g, ' ')
    for (const line of joined.split('\n')) {
      if (line.trim() !== '' && !line.trim().startsWith('#')) commands.push(line)
    }
  }
  return commands
}

/**
 * Runs one pasted command in bash in the project folder, with `pasted` (the export lines the
 * user pasted so far) in its environment and nothing of the test's own BRIDGE_URL.
 */
export async function runPasted(command: string, pasted: Record<string, string>) {
  const { BRIDGE_URL: _bridge, SIM_URL: _sim, THREAD_TS: _thread, ...env } = process.env
  return run('bash', ['-euo', 'pipefail', '-c', command], {
    cwd: PROJECT_ROOT,
    env: { ...env, ...pasted },
    timeout: 60_000,
  })
}
