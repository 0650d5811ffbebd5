// Mistake clusters: wrong submissions grouped by what they produced and why.
import t from 'tap'
import { startQuestionsWithRunner } from '../helpers/service.ts'

t.test('mistake clusters of a question', async t => {
  const { questions } = await startQuestionsWithRunner(t)
  const submit = async (user: string, query: string) => {
    const as = { 'x-playground-user': user }
    const run = await questions.call('POST', '/challenges', { questionID: '1', query }, as)
    t.equal(run.status, 200, run.raw)
    return (await questions.call('GET', `/challenges/${run.body.challengeID}/compare`, undefined, as)).body
  }
  const right = "SELECT name, price FROM products WHERE category = 'electronics' AND price < 100"
  const tooMany = "SELECT name, price FROM products WHERE category = 'electronics'"
  const tooManySpelledOtherwise = "SELECT name, price FROM products WHERE category IN ('electronics')"
  const oneColumn = "SELECT name FROM products WHERE category = 'electronics' AND price < 100"
  for (const [user, query] of [['u1', tooMany], ['u2', tooMany], ['u3', tooManySpelledOtherwise], ['u4', oneColumn], ['u5', right], ['u6', tooMany]]) {
    await submit(user, query)
  }

  const clusters = await questions.call('GET', '/questions/1/mistakes')
  t.equal(clusters.status, 200, clusters.raw)
  t.equal(clusters.body.length, 2, 'two mistakes: too many rows (three spellings of it) and one column')
  t.match(clusters.body[0], { count: 4, share: 0.8, reason: 'row count differs', examples: [tooMany, tooManySpelledOtherwise] }, 'the largest first, distinct examples')
  t.type(clusters.body[0].actual_row, Array, 'with the first differing rows')
  t.match(clusters.body[1], { count: 1, share: 0.2, reason: 'columns differ', examples: [oneColumn] })
  t.equal((await questions.call('GET', '/questions/1/mistakes?limit=1')).body.length, 1)
  t.same((await questions.call('GET', '/questions/2/mistakes')).body, [], 'none yet')
  t.equal((await questions.call('GET', '/questions/424242/mistakes')).status, 404)
})
