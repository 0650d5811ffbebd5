import t from 'tap'
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { SANDBOX_NICENESS } from '../../services/dbrunner/lib/thread-priority.ts'

// The nice value of one thread, as the kernel reports it (field 19 of its stat line).
function niceOf (tid: number): number {
  const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8')
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])
}

const MODULE_URL = new URL('../../services/dbrunner/lib/thread-priority.ts', import.meta.url).href

t.test('a worker thread lowers its own priority, and only its own', { skip: process.platform !== 'linux' && 'Linux only' }, async t => {
  const mainBefore = niceOf(process.pid)
  // The worker reports its thread id, lowers its priority when asked, then waits to be stopped.
  const worker = new Worker(`
    const { parentPort } = require('node:worker_threads')
    const { readlinkSync } = require('node:fs')
    const tid = Number(readlinkSync('/proc/thread-self').split('/').at(-1))
    parentPort.once('message', async () => {
      const { lowerThreadPriority } = await import(${JSON.stringify(MODULE_URL)})
      parentPort.postMessage({ tid, result: lowerThreadPriority() })
    })
    parentPort.postMessage({ tid })
    setInterval(() => {}, 1000) // stays alive to be looked at
  `, { eval: true, execArgv: [] })
  t.teardown(() => worker.terminate())
  const next = () => new Promise<{ tid: number, result?: number | null }>(resolve => worker.once('message', resolve))

  const { tid } = await next()
  t.not(tid, process.pid, 'the worker is a thread of its own')
  t.equal(niceOf(tid), mainBefore, 'a new thread starts at the priority of the thread that made it')
  worker.postMessage('lower')
  const { result } = await next()
  t.equal(result, SANDBOX_NICENESS, 'the function reports the new nice value')
  t.equal(niceOf(tid), SANDBOX_NICENESS, `the kernel sees the worker thread at nice ${SANDBOX_NICENESS}`)
  t.equal(niceOf(process.pid), mainBefore, 'the main thread keeps its priority')
})

t.test('it never raises a priority (and is a no-op off Linux)', async t => {
  const worker = new Worker(`
    const { parentPort } = require('node:worker_threads')
    import(${JSON.stringify(MODULE_URL)}).then(({ lowerThreadPriority }) => {
      const first = lowerThreadPriority(15)
      const second = lowerThreadPriority(5)
      parentPort.postMessage([first, second])
    })
  `, { eval: true, execArgv: [] })
  t.teardown(() => worker.terminate())
  const [first, second] = await new Promise<number[]>(resolve => worker.once('message', resolve))
  if (process.platform === 'linux') {
    t.equal(first, 15)
    t.equal(second, 15, 'asking for a higher priority leaves it at 15')
  } else {
    t.same([first, second], [null, null], 'a no-op elsewhere')
  }
})
