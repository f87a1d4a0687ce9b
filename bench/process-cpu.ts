import { readdirSync, readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc reports CPU time in ticks of 10 ms. */
const TICK_MS = 10

/** Child processes of this process running `workerd` (each wrangler worker starts two). */
export function workerdChildren(): Set<number> {
  const pids = new Set<number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(Number(entry))
    if (stat && stat.parent === process.pid && stat.command === 'workerd') pids.add(stat.pid)
  }
  return pids
}

/** User + system CPU time the processes used so far, in ms (10 ms resolution). */
export function cpuMs(pids: Iterable<number>): number {
  let ticks = 0
  for (const pid of pids) ticks += readStat(pid)?.ticks ?? 0
  return ticks * TICK_MS
}

function readStat(pid: number) {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined
  }
  // pid (comm) state ppid ... utime(14) stime(15): comm may hold spaces, so split after ')'.
  const close = text.lastIndexOf(')')
  const command = text.slice(text.indexOf('(') + 1, close)
  const fields = text.slice(close + 2).split(' ')
  return {
    pid,
    command,
    parent: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]),
  }
}
