// Lowers the scheduling priority of the calling thread, so that sandbox
// threads running students' SQL yield the CPU to the request path. Linux
// only: there a thread has its own nice value, set through its thread id.

import { readlinkSync } from 'node:fs'
import { getPriority, setPriority } from 'node:os'

/**
 * Nice value of sandbox threads. Not 19: the wall-time limit runs on while a
 * thread waits for the CPU, and at 19 (1.5 % of the weight of a normal
 * thread) a plain query timed out when the machine was busy with other work.
 * At 10 the request path still outweighs a sandbox thread about 9 to 1.
 */
export const SANDBOX_NICENESS = 10

/**
 * Raises the calling thread's nice value to `niceness` (never lowers it).
 * Returns the thread's nice value afterwards, or null where this cannot be
 * done (not Linux, no /proc, not permitted); it never throws.
 */
export function lowerThreadPriority (niceness = SANDBOX_NICENESS): number | null {
  if (process.platform !== 'linux') return null
  try {
    // Synchronous on purpose: the link names the thread that reads it
    // ('PID/task/TID'), and async fs calls run on another thread.
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1))
    if (!Number.isSafeInteger(tid) || tid <= 0) return null
    if (getPriority(tid) < niceness) setPriority(tid, niceness)
    return getPriority(tid)
  } catch {
    return null
  }
}
