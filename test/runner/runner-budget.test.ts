import t from 'tap'
import { RunnerBudget } from '../../services/dbrunner/lib/runner-budget.ts'
import { BudgetError, RunError } from '../../services/dbrunner/lib/run-errors.ts'

function clock (start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => { now += ms } }
}

t.test('an owner may use its limit of runner time per sliding minute', async t => {
  const time = clock()
  const budget = new RunnerBudget({ limitMs: 10_000, now: time.now })
  t.equal(budget.waitMs('alice'), 0, 'a new owner may run')
  for (let i = 0; i < 9; i++) {
    budget.spend('alice', 1000)
    time.advance(1000)
  }
  t.equal(budget.spentMs('alice'), 9000)
  t.equal(budget.waitMs('alice'), 0, 'below the limit')
  budget.spend('alice', 1000)
  t.equal(budget.spentMs('alice'), 10_000)
  // The first second's charge expires a minute after that second ended.
  t.equal(budget.waitMs('alice'), 52_000, 'at the limit: wait until the oldest charge expires')
  t.equal(budget.waitMs('bob'), 0, 'other owners are unaffected')
  time.advance(51_999)
  t.ok(budget.waitMs('alice') > 0)
  time.advance(1)
  t.equal(budget.waitMs('alice'), 0, 'enough time is back')
  t.equal(budget.spentMs('alice'), 9000)
  time.advance(60_000)
  t.equal(budget.spentMs('alice'), 0, 'all of it after a minute')
  t.equal(budget.owners, 0, 'and the owner is forgotten')
})

t.test('the wait covers as much time as must expire', async t => {
  const time = clock(0)
  const budget = new RunnerBudget({ limitMs: 1000, now: time.now })
  budget.spend('o', 600)
  time.advance(5000)
  budget.spend('o', 600)
  time.advance(5000)
  budget.spend('o', 600)
  // 1800 spent: the first two charges must expire to get below 1000.
  t.equal(budget.waitMs('o'), 66_000 - 10_000)
})

t.test('many small charges stay small', async t => {
  const time = clock(0)
  const budget = new RunnerBudget({ limitMs: 0, now: time.now })
  for (let i = 0; i < 10_000; i++) {
    budget.spend('busy', 0.5)
    time.advance(10)
  }
  t.equal(budget.spentMs('busy'), 3000, 'usage in the last minute (6000 charges of 0.5 ms)')
  t.equal(budget.waitMs('busy'), 0, 'a limit of 0 never refuses')
  budget.spend('other', 0)
  budget.spend('other', -5)
  t.equal(budget.spentMs('other'), 0, 'nothing charged for no time')
})

t.test('owners that stopped running are forgotten', async t => {
  const time = clock(0)
  const budget = new RunnerBudget({ limitMs: 1000, now: time.now })
  for (let i = 0; i < 100; i++) budget.spend(`user ${i}`, 10)
  t.equal(budget.owners, 100)
  time.advance(61_000)
  budget.spend('late', 10)
  t.equal(budget.owners, 1)
})

t.test('BudgetError says what happened and when to come back', async t => {
  const error = new BudgetError(7.2, 10_000)
  t.ok(error instanceof RunError)
  t.equal(error.code, 'budget')
  t.equal(error.status, 429)
  t.equal(error.statusCode, 429)
  t.equal(error.retryAfterSeconds, 8)
  t.equal(error.message, 'you have used your SQL runner time for this minute (10 s); try again in 8 s')
  t.equal(new BudgetError(0.01, 2500).message, 'you have used your SQL runner time for this minute (2.5 s); try again in 1 s')
})
