import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, it, vi } from 'vitest'
import { ensureDevVars, PROJECT_ROOT, waitUntilOk } from '../../scripts/wrangler-dev'
import { createUdeskClient } from '../../src/udesk/client'
import { collect, freePort, startTestSimulator, type Simulator } from './harness'

const TSX = join(PROJECT_ROOT, 'node_modules/.bin/tsx')
const SEND_SH = join(PROJECT_ROOT, 'examples/webhook/send.sh')

/** What `npm start` runs, in its own process group as a terminal would run it. */
function npmStart(env: Record<string, string>) {
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

/** Command lines of every process on the machine (what `ps` shows other local users). */
async function allCommandLines(): Promise<string> {
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name))
  const lines = await Promise.all(
    pids.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')),
  )
  return lines.join('\n')
}

describe('npm start', () => {
  let udesk: Simulator
  let started: ReturnType<typeof npmStart> | undefined

  afterAll(async () => {
    if (started) {
      try {
        process.kill(-started.pid, 'SIGKILL')
      } catch {
        // stopped by the test already
      }
    }
    await udesk?.close()
  })

  it('creates .dev.vars from the committed example only when it is missing', async ({ expect }) => {
    const root = await mkdtemp(join(tmpdir(), 'udesk-bridge-devvars-'))
    await writeFile(join(root, '.dev.vars.example'), 'UDESK_API_TOKEN=dev-udesk-token\n')

    expect(await ensureDevVars(root)).toBe(true)
    await writeFile(join(root, '.dev.vars'), 'UDESK_API_TOKEN=mine\n')
    expect(await ensureDevVars(root)).toBe(false)

    expect(await readFile(join(root, '.dev.vars'), 'utf8')).toBe('UDESK_API_TOKEN=mine\n')
    await rm(root, { recursive: true })
  })

  it('points the bridge at the Udesk given in the environment, token kept out of argv, and stops on Ctrl-C', async ({
    expect,
  }) => {
    udesk = await startTestSimulator()
    const account = { email: 'ops@acme.test', token: 'acme-udesk-token-7f3a' }
    const instance = (await (
      await fetch(`${udesk.url}/_sim/instances`, { method: 'POST', body: JSON.stringify(account) })
    ).json()) as { baseUrl: string }
    const [bridgePort, simPort, inspectorPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ]
    const bridgeUrl = `http://127.0.0.1:${bridgePort}`
    const simUrl = `http://127.0.0.1:${simPort}`

    started = npmStart({
      BRIDGE_PORT: String(bridgePort),
      SIM_PORT: String(simPort),
      BRIDGE_INSPECTOR_PORT: String(inspectorPort),
      UDESK_BASE_URL: instance.baseUrl,
      UDESK_EMAIL: account.email,
      UDESK_API_TOKEN: account.token,
    })
    await vi.waitFor(() => expect(started!.output()).toContain('udesk-bridge is running'), {
      timeout: 120_000,
      interval: 250,
    })
    await waitUntilOk(`${simUrl}/`)
    const sent = spawn(SEND_SH, ['open', 'start-override-1', 'Printer on fire', 'Send help.'], {
      env: { ...process.env, BRIDGE_URL: bridgeUrl },
      stdio: 'ignore',
    })
    expect(await new Promise((done) => sent.once('exit', done))).toBe(0)

    const acme = createUdeskClient({ baseUrl: instance.baseUrl, credentials: account })
    const tickets = await vi.waitFor(
      async () => {
        const found = await collect(acme.listTickets())
        expect(found.map((t) => t.subject)).toEqual(['Printer on fire'])
        return found
      },
      { timeout: 60_000, interval: 500 },
    )
    expect(tickets).toHaveLength(1)
    expect(started.output()).toContain(instance.baseUrl)
    expect(await allCommandLines()).not.toContain(account.token)
    const localState = await (await fetch(`${simUrl}/_sim/state`)).json()
    expect(localState).toMatchObject({ tickets: [] })

    process.kill(-started.pid, 'SIGINT')

    expect(await started.exited).toBe(0)
    await expect(fetch(`${bridgeUrl}/healthz`)).rejects.toThrow()
    await expect(fetch(`${simUrl}/`)).rejects.toThrow()
  })
})
