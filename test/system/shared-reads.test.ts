// Reads that are the same for every user (the catalogue) are kept by the
// runtime's HTTP cache for a moment: the gateway answers them without asking
// the questions service again, and a change shows within seconds. Nothing
// personal or for teachers is ever kept.
import t from 'tap'
import { withClient } from '../helpers/database.ts'
import { apiClient, studentScopes, teacherScopes } from '../helpers/api.ts'
import { startTestSystem } from '../helpers/system.ts'

t.test('shared reads are cached for a moment, and only they', async t => {
  const system = await startTestSystem(t)
  const { token, call } = apiClient(system.url)
  const student = await token(studentScopes, 'reader')
  const teacher = await token(teacherScopes, 'teacher')

  const first = await call('GET', '/questions/3', { token: student })
  t.equal(first.headers.get('cache-control'), 'public, max-age=2', 'marked shareable')
  await withClient(system.databaseUrl, client => client.query("UPDATE questions SET title = 'Renamed behind the API' WHERE id = 3"))
  t.equal((await call('GET', '/questions/3', { token: student })).body.title, first.body.title, 'kept for a moment')
  await new Promise(resolve => setTimeout(resolve, 2500))
  t.equal((await call('GET', '/questions/3', { token: student })).body.title, 'Renamed behind the API', 'and fresh after it')

  t.equal((await call('GET', '/questions/3', {})).status, 401, 'a cached answer still needs a token')
  for (const [path, who] of [['/me', student], ['/me/submissions', student], ['/questions/3/full', teacher], ['/questions/3/datasets', teacher]] as const) {
    t.equal((await call('GET', path, { token: who })).headers.get('cache-control'), null, `${path} is never kept`)
  }
  const mine = await call('GET', '/me', { token: student })
  const theirs = await call('GET', '/me', { token: await token(studentScopes, 'someone-else') })
  t.not(mine.body.id, theirs.body.id, 'personal answers stay personal')
})
