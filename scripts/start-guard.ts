/**
 * What `npm start` checks before it touches anything: every port it needs is free, and the
 * bridge's local state directory belongs to no running `npm start`. A second `npm start` then
 * refuses with the variable that moves the taken port, and never deletes the first one's state.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'

export type NeededPort = {
  /** What listens there, in the user's words: "the bridge", "the simulator". */
  role: string
  /** The environment variable that moves it. */
  variable: string
  port: number
}

/** True when something already listens on `host:port` (or it cannot be bound at all). */
export function portTaken(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer()
    server.once('error', () => done(true))
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(false)))
  })
}

/**
 * One line per taken port, naming the variable that moves it and a port that is free now;
 * empty when all are free. Nothing is started or changed.
 */
export async function takenPortProblems(host: string, ports: NeededPort[]): Promise<string[]> {
  const problems: string[] = []
  for (const { role, variable, port } of ports) {
    if (!(await portTaken(host, port))) continue
    const other = await freePortNear(host, port, new Set(ports.map((p) => p.port)))
    problems.push(
      `port ${port} (${role}) is already in use: another npm start or wrangler dev? ` +
        `Stop it, or move this one with ${variable}=${other} npm start`,
    )
  }
  return problems
}

async function freePortNear(host: string, port: number, avoid: Set<number>): Promise<number> {
  for (let candidate = port + 10; candidate < port + 1000; candidate += 10) {
    if (candidate > 65535) break
    if (!avoid.has(candidate) && !(await portTaken(host, candidate))) return candidate
  }
  return 0
}

/** True while process `pid` exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export type StateClaim =
  { ok: true; dir: string; release: () => Promise<void> } | { ok: false; reason: string }

/**
 * Claims `root/<bridgePort>` for this process: a fresh, empty directory for the bridge's local
 * KV, queues and Durable Objects. A directory left by a process that is gone is emptied; one
 * whose owner still runs is left alone and the claim fails with the owner's pid.
 */
export async function claimStateDir(root: string, bridgePort: number): Promise<StateClaim> {
  const dir = join(root, String(bridgePort))
  const owner = join(dir, 'owner.pid')
  const previous = Number(await readFile(owner, 'utf8').catch(() => ''))
  if (Number.isInteger(previous) && previous > 0 && previous !== process.pid && alive(previous)) {
    return { ok: false, reason: `${dir} belongs to a running npm start (pid ${previous})` }
  }
  await rm(dir, { recursive: true, force: true })
  await mkdir(dir, { recursive: true })
  try {
    await writeFile(owner, String(process.pid), { flag: 'wx' })
  } catch {
    return { ok: false, reason: `another npm start claimed ${dir} at the same moment` }
  }
  return { ok: true, dir, release: () => rm(dir, { recursive: true, force: true }) }
}
