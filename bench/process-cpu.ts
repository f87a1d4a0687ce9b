import { readdirSync, readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc reports CPU time in ticks of 10 ms. */
const TICK_MS = 10

/**
 * Processes descending from this one that run `workerd` (each wrangler dev starts two: its
 * proxy and the workers'), whether wrangler runs in this process or in a child of its own.
 */
export function workerdChildren(): Set<number> {
  const stats = new Map<number, { parent: number; command: string }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(Number(entry))
    if (stat) stats.set(stat.pid, stat)
  }
  const descends = (pid: number): boolean => {
    for (let p = stats.get(pid)?.parent; p !== undefined && p > 1; p = stats.get(p)?.parent) {
      if (p === process.pid) return true
    }
    return false
  }
  const pids = new Set<number>()
  for (const [pid, stat] of stats) if (stat.command === 'workerd' && descends(pid)) pids.add(pid)
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
