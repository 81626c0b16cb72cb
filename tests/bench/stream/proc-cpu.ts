import { execFileSync } from 'node:child_process'
import fs from 'node:fs'

// CPU seconds of processes from Linux /proc (utime + stime), for the stream bench's CPU figures.

let clkTck: number | undefined
function clockTicks(): number {
  if (clkTck === undefined) {
    try {
      clkTck = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clkTck = 100
    }
  }
  return clkTck
}

function stat(pid: number): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // After "(comm) ": fields[0] is field 3 (state), fields[1] field 4 (ppid), utime field 14, stime field 15.
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null // gone
  }
}

/** utime + stime of one process, in seconds (0 once it is gone). */
export function procCpuSeconds(pid: number): number {
  const f = stat(pid)
  return f === null ? 0 : (Number(f[11]) + Number(f[12])) / clockTicks()
}

/** Every live descendant of `root` (children, grandchildren, …). */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const f = stat(Number(name))
    if (f !== null) parent.set(Number(name), Number(f[1]))
  }
  const out: number[] = []
  const wanted = new Set([root])
  let grew = true
  while (grew) {
    grew = false
    for (const [pid, ppid] of parent) {
      if (!wanted.has(pid) && wanted.has(ppid)) {
        wanted.add(pid)
        out.push(pid)
        grew = true
      }
    }
  }
  return out
}

/**
 * A process's main thread's scheduler figures (Linux /proc/<pid>/task/<pid>/schedstat), in seconds: time on a
 * CPU and time runnable but waiting for one (CPU contention). Zeros when the file is missing.
 */
export function mainThreadSched(pid: number): { ran: number; waited: number } {
  try {
    const [ran, waited] = fs.readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').trim().split(' ').map(Number)
    return { ran: (ran ?? 0) / 1e9, waited: (waited ?? 0) / 1e9 }
  } catch {
    return { ran: 0, waited: 0 }
  }
}
