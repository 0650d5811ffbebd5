// GET /leaderboard in the questions service on a real PostgreSQL: ledger
// rows written (and aged) with SQL, read through the summary the ledger's
// trigger keeps. Periods are UTC calendar periods; the boundaries are
// computed by the database, as the route computes them.
import t from 'tap'
import type pg from 'pg'
import { settings } from '../../lib/config.ts'
import { readSeedBank } from '../../lib/seed.ts'
import { pseudonym } from '../../services/questions/lib/leaderboard.ts'
import { withClient } from '../helpers/database.ts'
import { startQuestionsWithRunner } from '../helpers/service.ts'

const dayStart = `(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`
const weekStart = `(date_trunc('week', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`

interface Row { rank: number, user: string, points: number, solved: number }

t.test('leaderboard', async t => {
  const { questions, databaseUrl } = await startQuestionsWithRunner(t)
  const sql = (text: string, values: unknown[] = []) => withClient(databaseUrl, (client: pg.Client) => client.query(text, values))
  const board = async (query: string) => {
    const response = await questions.call('GET', `/leaderboard?${query}`, undefined, { 'x-playground-user': 'reader' })
    t.equal(response.status, 200, query)
    return response.body as Row[]
  }
  const names = (rows: Row[]) => rows.map(row => row.user)
  // A user with a display name, and their solves: [question, amount, when (SQL)].
  async function learner (id: string, name: string | null, solves: [number, number, string][]) {
    await sql('INSERT INTO users (id, display_name) VALUES ($1, $2)', [id, name])
    for (const [question, amount, when] of solves) {
      await sql(`INSERT INTO point_ledger (user_id, amount, reason, question_id, created_at) VALUES ($1, $2, 'solved', $3, ${when})`, [id, amount, question])
    }
  }

  t.test('ranked by points or by solved; ties go to whoever got there first', async t => {
    await learner('u-top', 'Top', [[1, 50, "now() - interval '5 hours'"]])
    // By user id alone, Late would come before Early.
    await learner('u-a-late', 'Late', [[1, 20, "now() - interval '2 hours'"]])
    await learner('u-z-early', 'Early', [[1, 20, "now() - interval '3 hours'"]])
    // One statement: the very same time; the user id decides.
    await sql('INSERT INTO users (id, display_name) VALUES ($1, $2), ($3, $4)', ['u-y', 'Y', 'u-x', 'X'])
    await sql(`INSERT INTO point_ledger (user_id, amount, reason, question_id, created_at) VALUES
      ('u-y', 10, 'solved', 1, now() - interval '1 hour'), ('u-x', 10, 'solved', 1, now() - interval '1 hour')`)
    await learner('u-many', 'Many', [[1, 1, "now() - interval '4 hours'"], [2, 1, "now() - interval '4 hours'"], [3, 1, "now() - interval '30 minutes'"]])
    // Not earned by solving: never on the board.
    await sql(`INSERT INTO users (id, display_name) VALUES ('u-rich', 'Rich')`)
    await sql(`INSERT INTO point_ledger (user_id, amount, reason) VALUES ('u-rich', 1000, 'welcome')`)

    const byPoints = await board('period=all&by=points')
    t.same(byPoints, [
      { rank: 1, user: 'Top', points: 50, solved: 1 },
      { rank: 2, user: 'Early', points: 20, solved: 1 },
      { rank: 3, user: 'Late', points: 20, solved: 1 },
      { rank: 4, user: 'X', points: 10, solved: 1 },
      { rank: 5, user: 'Y', points: 10, solved: 1 },
      { rank: 6, user: 'Many', points: 3, solved: 3 }
    ], 'points earned by solving; welcome points do not count')
    t.same(names(await board('period=all&by=solved')), ['Many', 'Top', 'Early', 'Late', 'X', 'Y'], 'by solved: ties by when the count was reached')
    t.same(await board('period=all&limit=2&offset=2'), byPoints.slice(2, 4), 'paged, ranks go on')
    t.same(await board('period=all&by=points&limit=0'), byPoints, 'limit 0: the default page')
    t.same(await board('period=all&offset=6'), [], 'past the end')
    t.same(await board('period=all'), await board('period=all&by=points'), 'by points unless told')

    // A later solve moves the reach time: Late gets ahead of Early by getting further.
    await sql(`INSERT INTO point_ledger (user_id, amount, reason, question_id) VALUES ('u-a-late', 5, 'solved', 2)`)
    t.same(names(await board('period=all&limit=3')), ['Top', 'Late', 'Early'])
    await sql(`DELETE FROM point_ledger WHERE user_id = 'u-a-late' AND question_id = 2`)
    t.same(names(await board('period=all&limit=3')), ['Top', 'Early', 'Late'], 'the summary follows a deleted ledger row too')
  })

  t.test('a period holds what was earned in it (UTC day, ISO week from Monday, all time)', async t => {
    await learner('p-day-in', 'DayIn', [[4, 7, dayStart]])
    await learner('p-day-out', 'DayOut', [[4, 7, `${dayStart} - interval '1 microsecond'`]])
    await learner('p-week-in', 'WeekIn', [[4, 7, weekStart]])
    await learner('p-week-out', 'WeekOut', [[4, 7, `${weekStart} - interval '1 microsecond'`]])
    await learner('p-split', 'Split', [[5, 10, 'now()'], [6, 20, `${weekStart} - interval '1 day'`]])
    const day = names(await board('period=day&limit=100'))
    const week = names(await board('period=week&limit=100'))
    const all = names(await board('period=all&limit=100'))
    t.ok(day.includes('DayIn') && !day.includes('DayOut'), 'a day starts at 00:00 UTC')
    t.ok(week.includes('WeekIn') && !week.includes('WeekOut'), 'a week starts on Monday 00:00 UTC')
    t.ok(week.includes('DayIn'), 'today is in this week')
    t.ok(['DayIn', 'DayOut', 'WeekIn', 'WeekOut'].every(name => all.includes(name)), 'all time has everything')
    const split = async (period: string) => (await board(`period=${period}&limit=100`)).find(row => row.user === 'Split')
    t.match(await split('day'), { points: 10, solved: 1 }, 'today: what was earned today')
    t.match(await split('week'), { points: 10, solved: 1 }, 'this week: what was earned this week')
    t.match(await split('all'), { points: 30, solved: 2 }, 'all time: everything earned')

    // Aged with SQL: the solve of today becomes one of last week.
    await sql(`UPDATE point_ledger SET created_at = ${weekStart} - interval '2 days' WHERE user_id = 'p-split' AND question_id = 5`)
    t.equal(await split('day'), undefined, 'gone from today')
    t.equal(await split('week'), undefined, 'and from this week')
    t.match(await split('all'), { points: 30, solved: 2 }, 'still there all time')
  })

  t.test('a real solve reaches the board through the code that awards points', async t => {
    const headers = { 'x-playground-user': 'solver', 'x-playground-name': encodeURIComponent('Solver S.') }
    const right = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
    const id = (await questions.call('POST', '/challenges', { questionID: '1', query: right }, headers)).body.challengeID
    t.same((await questions.call('GET', `/challenges/${id}/compare`, undefined, headers)).body, { same: true })
    t.match((await board('period=day&limit=100')).find(row => row.user === 'Solver S.'), { points: 10, solved: 1 })
  })

  t.test('solves at the same time by one user all count, and nothing deadlocks', async t => {
    const headers = { 'x-playground-user': 'racer', 'x-playground-name': encodeURIComponent('Racer R.') }
    // The reference answers are right answers; the shop's six questions, each compared three times at once.
    const shop = readSeedBank().questions.filter(question => question.schema_id === 'shop')
    const ids = await Promise.all(shop.map(async question =>
      (await questions.call('POST', '/challenges', { questionID: question.id, query: question.answer }, headers)).body.challengeID as string))
    const verdicts = await Promise.all(ids.flatMap(id => [1, 2, 3].map(() => questions.call('GET', `/challenges/${id}/compare`, undefined, headers))))
    t.ok(verdicts.every(verdict => verdict.status === 200 && verdict.body.same === true), 'every compare answered')
    const points = shop.reduce((sum, question) => sum + ({ easy: 10, medium: 20, hard: 30 })[question.difficulty], 0)
    t.match((await board('period=day&limit=100')).find(row => row.user === 'Racer R.'), { points, solved: shop.length })
    const { rows: [ledger] } = await sql(`SELECT sum(amount)::int AS points, count(*)::int AS solved FROM point_ledger WHERE user_id = 'racer' AND reason = 'solved'`)
    t.same(ledger, { points, solved: shop.length }, 'the summary equals the ledger')
  })

  t.test('users without a name get a stable pseudonym; no e-mail address, no user id', async t => {
    await learner('anon-user-17', null, [[7, 9, 'now()']])
    // Stored before names were cleaned: still never shown.
    await learner('mail-user-18', 'grace@example.org', [[7, 8, 'now()']])
    const rows = await board('period=all&limit=100')
    const key = settings.LEADERBOARD_PSEUDONYM_KEY.default
    const anon = rows.find(row => row.points === 9)!
    t.equal(anon.user, pseudonym(key, 'anon-user-17'))
    t.match(anon.user, /^Learner [0-9a-f]{8}$/)
    t.equal(rows.find(row => row.points === 8)!.user, pseudonym(key, 'mail-user-18'))
    t.same(await board('period=all&limit=100'), rows, 'the same names every time')
    t.not(pseudonym('another key', 'anon-user-17'), anon.user, 'the name depends on the key')
    const raw = JSON.stringify(rows)
    t.notMatch(raw, /@/, 'no e-mail address')
    t.notMatch(raw, /anon-user-17|mail-user-18|u-top|p-split/, 'no user id')
  })

  t.test('bad input: 400 with a message', async t => {
    const bad = (query: string) => questions.call('GET', `/leaderboard?${query}`, undefined, { 'x-playground-user': 'reader' })
    t.match(await bad('period=month'), { status: 400, body: { message: 'period: must be one of day, week, all' } })
    t.match(await bad('by=rank'), { status: 400, body: { message: 'by: must be one of points, solved' } })
    t.match(await bad('limit=-1'), { status: 400, body: { message: /^limit: / } })
    t.match(await bad('offset=x'), { status: 400, body: { message: /^offset: / } })
    t.equal((await bad('limit=500')).status, 200, 'a large limit is capped, not refused')
  })
})
