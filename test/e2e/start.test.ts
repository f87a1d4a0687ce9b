import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, it, vi } from 'vitest'
import { claimStateDir } from '../../scripts/start-guard'
import { ensureDevVars, PROJECT_ROOT, waitUntilOk } from '../../scripts/wrangler-dev'
import { createUdeskClient } from '../../src/udesk/client'
import { collect, freePort, startTestSimulator, type Simulator } from './harness'
import { exportsIn, npmStart, signalGroup, untilRunning, type NpmStart } from './npm-start'

const run = promisify(execFile)

const SEND_SH = join(PROJECT_ROOT, 'examples/webhook/send.sh')

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
  let started: NpmStart | undefined

  afterAll(async () => {
    if (started) signalGroup(started, 'SIGKILL')
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

  it("never empties the state of an npm start that still runs, and reclaims a dead one's", async ({
    expect,
  }) => {
    const root = await mkdtemp(join(tmpdir(), 'udesk-bridge-state-'))
    const owner = spawn('sleep', ['60'])
    await mkdir(join(root, '48787/v3'), { recursive: true })
    await writeFile(join(root, '48787/owner.pid'), String(owner.pid))
    await writeFile(join(root, '48787/v3/kv'), 'tickets of the running bridge')

    const whileRunning = await claimStateDir(root, 48787)
    owner.kill()
    await new Promise((done) => owner.once('exit', done))
    const afterExit = await claimStateDir(root, 48787)

    expect(whileRunning).toEqual({ ok: false, reason: expect.stringContaining(`pid ${owner.pid}`) })
    expect(afterExit.ok).toBe(true)
    expect(await readdir(join(root, '48787'))).toEqual(['owner.pid'])
    expect(await readFile(join(root, '48787/owner.pid'), 'utf8')).toBe(String(process.pid))
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
    // Against a real Udesk the bridge keeps .wrangler/state between runs: a thread of its own.
    const sent = spawn(
      SEND_SH,
      ['open', `start-override-${Date.now()}`, 'Printer on fire', 'Send help.'],
      {
        env: { ...process.env, BRIDGE_URL: bridgeUrl },
        stdio: 'ignore',
      },
    )
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

  it('refuses a second npm start on the same ports, naming the variable to move each, and leaves the first working', async ({
    expect,
  }) => {
    const ports = { bridge: await freePort(), sim: await freePort(), inspector: await freePort() }
    const env = {
      BRIDGE_PORT: String(ports.bridge),
      SIM_PORT: String(ports.sim),
      BRIDGE_INSPECTOR_PORT: String(ports.inspector),
    }
    started = npmStart(env)
    const pasted = exportsIn(await untilRunning(started))
    const send = (...args: string[]) => run(SEND_SH, args, { env: { ...process.env, ...pasted } })
    await send('open', 'start-twice-1', 'Before the second start', 'Hello.')

    const second = npmStart(env)
    const secondCode = await second.exited
    // Only the bridge's port taken: the old script deleted the running bridge's state here.
    const third = npmStart({ ...env, SIM_PORT: String(await freePort()) })
    const thirdCode = await third.exited

    expect(secondCode).toBe(1)
    expect(second.output()).toContain(`port ${ports.bridge} (the bridge) is already in use`)
    expect(second.output()).toMatch(/move this one with BRIDGE_PORT=\d+ npm start/)
    expect(second.output()).toMatch(/move this one with SIM_PORT=\d+ npm start/)
    expect(second.output()).toContain('Nothing was started or changed.')
    expect(thirdCode).toBe(1)
    expect(third.output()).toMatch(/move this one with BRIDGE_PORT=\d+ npm start/)
    for (const refused of [second, third]) {
      expect(refused.output()).not.toContain('udesk-bridge is running')
    }
    const reply = await send('reply', 'start-twice-1', 'Still there after the second start?')
    expect(reply.stdout).toMatch(/^202 /)
    await vi.waitFor(
      async () => {
        const { tickets } = await (await fetch(`${pasted.SIM_URL}/_sim/state`)).json()
        const [only, ...others] = tickets as { subject: string; replies: { content: string }[] }[]
        expect(others).toEqual([])
        expect(only?.subject).toBe('Before the second start')
        expect(only?.replies.map((r) => r.content).join()).toContain('Still there after')
      },
      { timeout: 60_000, interval: 500 },
    )
  })

  it('stops the bridge and the simulator when its terminal closes (SIGHUP)', async ({ expect }) => {
    const running = started!
    const pasted = exportsIn(running.output())

    signalGroup(running, 'SIGHUP')

    await running.exited
    // tsx dies of SIGHUP at once; the script itself stops both servers and releases its state.
    await vi.waitFor(
      async () => {
        await expect(fetch(`${pasted.BRIDGE_URL}/healthz`)).rejects.toThrow()
        await expect(fetch(`${pasted.SIM_URL}/`)).rejects.toThrow()
        const port = new URL(pasted.BRIDGE_URL!).port
        await expect(readdir(join(PROJECT_ROOT, '.wrangler/npm-start', port))).rejects.toThrow()
      },
      { timeout: 20_000, interval: 250 },
    )
  })
})
