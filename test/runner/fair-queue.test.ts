import t from 'tap'
import { FairQueue } from '../../services/dbrunner/lib/fair-queue.ts'

/** Takes everything that can start, finishing each job at once. */
function drainInTurn (queue: FairQueue<string>): string[] {
  const order: string[] = []
  for (let next = queue.take(); next !== undefined; next = queue.take()) {
    order.push(next.item)
    queue.finished(next.owner)
  }
  return order
}

t.test('owners take turns instead of first come, first served', async t => {
  const queue = new FairQueue<string>()
  for (let i = 1; i <= 4; i++) queue.push('flooder', `f${i}`)
  queue.push('alice', 'a1')
  queue.push('bob', 'b1')
  queue.push('alice', 'a2')
  t.equal(queue.size, 7)
  t.equal(queue.owners, 3)
  t.same(drainInTurn(queue), ['f1', 'a1', 'b1', 'f2', 'a2', 'f3', 'f4'])
  t.equal(queue.size, 0)
  t.equal(queue.owners, 0)
})

t.test('an owner runs at most `concurrency` jobs at once', async t => {
  const queue = new FairQueue<string>({ concurrency: 1 })
  queue.push('flooder', 'f1')
  queue.push('flooder', 'f2')
  queue.push('flooder', 'f3')
  t.same(queue.take(), { owner: 'flooder', item: 'f1' })
  t.equal(queue.take(), undefined, 'f2 waits while f1 runs')
  t.equal(queue.startable(), 0)
  queue.push('alice', 'a1')
  t.equal(queue.startable(), 1)
  t.same(queue.take(), { owner: 'alice', item: 'a1' }, 'another owner is served meanwhile')
  queue.finished('flooder')
  t.equal(queue.runningOf('flooder'), 0)
  t.same(queue.take(), { owner: 'flooder', item: 'f2' })

  const two = new FairQueue<string>({ concurrency: 2 })
  for (let i = 1; i <= 3; i++) two.push('o', `o${i}`)
  t.equal(two.startable(), 2)
  t.same([two.take()?.item, two.take()?.item, two.take()?.item], ['o1', 'o2', undefined])
  t.equal(two.runningOf('o'), 2)
  t.equal(two.waitingOf('o'), 1)
})

t.test('the owner that used the least runner time goes first', async t => {
  const usage: Record<string, number> = { heavy: 9000, light: 20, fresh: 0 }
  const queue = new FairQueue<string>({ usage: owner => usage[owner] ?? 0 })
  queue.push('heavy', 'h1')
  queue.push('light', 'l1')
  queue.push('fresh', 'n1')
  queue.push('light', 'l2')
  t.same(drainInTurn(queue), ['n1', 'l1', 'l2', 'h1'])
  // Usage is read at each turn, not when the job was queued.
  queue.push('heavy', 'h2')
  queue.push('fresh', 'n2')
  usage.fresh = 10_000
  t.same(drainInTurn(queue), ['h2', 'n2'])
})

t.test('remove and drain', async t => {
  const queue = new FairQueue<string>()
  queue.push('a', 'a1')
  queue.push('a', 'a2')
  queue.push('b', 'b1')
  t.ok(queue.remove('a', 'a1'))
  t.notOk(queue.remove('a', 'a1'), 'only once')
  t.notOk(queue.remove('c', 'c1'), 'unknown owner')
  t.ok(queue.remove('b', 'b1'))
  t.equal(queue.owners, 1, 'an owner with nothing left waiting is forgotten')
  t.equal(queue.size, 1)
  queue.push('b', 'b2')
  t.same(queue.drain().sort(), ['a2', 'b2'])
  t.equal(queue.size, 0)
  t.equal(queue.take(), undefined)
})
