// The teachers' workspace and the learners' progress in a real browser,
// against the whole system (dev auth): a teacher makes a schema and sees its
// diagram, writes a question whose answer is refused as non-deterministic,
// fixes it, generates and attaches datasets and sees the mutation score
// rise; a student (who never gets the workspace, and whose calls to it the
// API refuses) solves the question and sees their progress and the
// leaderboard change; the teacher then sees the submissions in the
// statistics and the wrong one in the mistake clusters.
import t from 'tap'
import { ensureWebBuilt } from '../../scripts/web-build.ts'
import { startTestSystem } from '../helpers/system.ts'
import { openBrowser, reader, requireChromium } from './browser.ts'
import { callFromPage, devSignIn, editorText, screenshot, setEditorText } from './page-helpers.ts'

requireChromium()
await ensureWebBuilt()

const zooSql = `CREATE TABLE keepers (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE enclosures (id INTEGER PRIMARY KEY, name TEXT NOT NULL, keeper_id INTEGER REFERENCES keepers(id));
CREATE TABLE animals (id INTEGER PRIMARY KEY, name TEXT NOT NULL, species TEXT NOT NULL, legs INTEGER NOT NULL, enclosure_id INTEGER REFERENCES enclosures(id));
CREATE TABLE feedings (animal_id INTEGER NOT NULL REFERENCES animals(id), keeper_id INTEGER NOT NULL REFERENCES keepers(id), fed_on TEXT NOT NULL, PRIMARY KEY (animal_id, fed_on));
INSERT INTO keepers VALUES (1, 'Noor'), (2, 'Pavel');
INSERT INTO enclosures VALUES (1, 'Savannah', 1), (2, 'Aviary', 2), (3, 'Reptile house', NULL);
INSERT INTO animals VALUES (1, 'Zara', 'zebra', 4, 1), (2, 'Kiki', 'parrot', 2, 2), (3, 'Leo', 'lion', 4, 1), (4, 'Sly', 'snake', 0, 3), (5, 'Ollie', 'ostrich', 2, 1);
INSERT INTO feedings VALUES (1, 1, '2025-01-01'), (2, 2, '2025-01-01'), (3, 1, '2025-01-02');`
const title = 'First four-legged animal'
const nonDeterministic = 'SELECT name, legs FROM animals WHERE legs >= 4 LIMIT 1'
const answer = 'SELECT name, legs FROM animals WHERE legs >= 4 ORDER BY name LIMIT 1'
const wrongAnswer = 'SELECT name, legs FROM animals WHERE legs >= 4 ORDER BY name DESC LIMIT 1'

const system = await startTestSystem(t)
const teacher = await openBrowser(t, system.url)
const student = await openBrowser(t, system.url)
const page = teacher.page
const { text, texts } = reader(page)
const workspaceChunks: string[] = []
student.page.on('request', request => { if (/\/assets\/workspace-[^/]+\.js$/.test(request.url())) workspaceChunks.push(request.url()) })
let questionId = ''

t.test('a teacher signs in and finds the workspace', async t => {
  await devSignIn(page, system.url, { name: 'Tess Teacher', role: 'Teacher', screenshot: 'sign-in-dev' })
  t.match(await text('#session'), /Signed in as Tess Teacher\s*teacher/)
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workspace' }).click()
  await page.getByRole('heading', { level: 1, name: 'Workspace' }).waitFor()
  await page.getByRole('link', { name: 'shop', exact: true }).waitFor()
  t.ok((await texts('.workspace-questions tbody tr')).length >= 16, 'every question is listed')
  await screenshot(page, 'workspace-home')
})

t.test('creates a schema: broken SQL is refused next to the field, then its diagram', async t => {
  await page.getByRole('link', { name: 'New schema' }).click()
  await page.getByRole('heading', { level: 1, name: 'New schema' }).waitFor()
  await page.getByLabel('Id', { exact: true }).fill('zoo')
  await page.getByLabel('Description').fill('A small zoo: keepers look after enclosures of animals, and feed them.')
  await setEditorText(page, '.field:has(#schema-sql-label)', 'CREATE TABLE keepers (id INTEGER PRIMARY KEY, name TEXT NOT NULL')
  await page.getByRole('button', { name: 'Create schema' }).click()
  await page.locator('#schema-sql-error').waitFor()
  t.match(await text('#schema-sql-error'), /incomplete input|syntax error/i, "the engine's message, next to the SQL")
  t.equal(await page.locator('.field:has(#schema-sql-label) .cm-content').getAttribute('aria-invalid'), 'true')
  t.match(await page.locator('.field:has(#schema-sql-label) .cm-content').getAttribute('aria-describedby'), /schema-sql-error/, 'the error describes the editor')
  t.equal(await page.getByLabel('Id', { exact: true }).inputValue(), 'zoo', 'nothing typed is lost')
  t.match(await page.getByLabel('Description').inputValue(), /small zoo/)
  await screenshot(page, 'workspace-schema-refused')

  await setEditorText(page, '.field:has(#schema-sql-label)', zooSql)
  await page.getByRole('button', { name: 'Create schema' }).click()
  await page.waitForFunction(() => (globalThis as any).location.hash === '#/workspace/schemas/zoo')
  await page.locator('.er-diagram').waitFor()
  t.same((await page.locator('.er-table').evaluateAll(nodes => nodes.map(node => node.getAttribute('data-table')))).sort(), ['animals', 'enclosures', 'feedings', 'keepers'])
  const edges = await page.locator('.er-edge').evaluateAll(nodes => nodes.map(node => `${node.getAttribute('data-from')} -> ${node.getAttribute('data-to')}`))
  t.same(edges.sort(), ['animals.enclosure_id -> enclosures.id', 'enclosures.keeper_id -> keepers.id', 'feedings.animal_id -> animals.id', 'feedings.keeper_id -> keepers.id'],
    'a line per foreign key, read from SQLite')
  t.equal(await page.locator('.er-table[data-table="feedings"] .er-key-pk').count(), 2, 'a composite primary key')
  t.match(await page.locator('.er-diagram desc').textContent(), /feedings\.animal_id refers to animals\.id/, 'the relations, for screen readers')
  await screenshot(page, 'workspace-schema')
})

t.test('writes a question: a non-deterministic answer is refused and nothing typed is lost; fixed, it is saved', async t => {
  await page.getByRole('link', { name: 'New question on this schema' }).click()
  await page.getByRole('heading', { level: 1, name: 'New question' }).waitFor()
  t.equal(await page.getByLabel('Schema').inputValue(), 'zoo')
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Category').fill('filtering')
  await page.getByLabel('Task').fill('Show the name and number of legs of the four-legged animal whose name comes first in alphabetical order.')
  await setEditorText(page, '.field:has(#question-answer-label)', nonDeterministic)
  // The live preview runs the draft on the schema.
  await page.locator('#answer-preview tbody tr').first().waitFor()
  t.same(await texts('#answer-preview thead th'), ['name', 'legs'])

  await page.getByRole('button', { name: 'Create question' }).click()
  await page.locator('#question-answer-error').waitFor()
  t.match(await text('#question-answer-error'), /not deterministic.*LIMIT/)
  t.equal(await page.locator('.field:has(#question-answer-label) .cm-content').getAttribute('aria-invalid'), 'true')
  t.equal(await page.getByLabel('Title').inputValue(), title, 'the title stays')
  t.equal(await page.getByLabel('Category').inputValue(), 'filtering')
  t.equal(await editorText(page, '.field:has(#question-answer-label)'), nonDeterministic, 'the answer stays')
  await screenshot(page, 'workspace-question-refused')

  // A draft survives a reload too.
  await page.reload()
  await page.locator('.restored').waitFor()
  t.equal(await page.getByLabel('Title').inputValue(), title, 'the draft is back after a reload')

  await setEditorText(page, '.field:has(#question-answer-label)', answer)
  await page.locator('#answer-preview tbody tr', { hasText: 'Leo' }).waitFor()
  t.same(await texts('#answer-preview tbody td'), ['Leo', '4'])
  await page.getByRole('button', { name: 'Create question' }).click()
  await page.waitForFunction(() => /^#\/workspace\/questions\/\d+$/.test((globalThis as any).location.hash))
  questionId = (await page.evaluate(() => (globalThis as any).location.hash as string)).split('/').pop() as string
  await page.getByRole('heading', { level: 1, name: title }).waitFor()
  await page.locator('#mutation-score').waitFor()
  t.equal(await text('#mutation-score'), '75%', 'a question starts with the generated dataset that tells most apart')
  await page.locator('.dataset-count', { hasText: '1 hidden dataset' }).waitFor()
})

t.test('grading settings: a refusal names its field', async t => {
  await page.getByLabel('Numeric tolerance').fill('-1')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.locator('#grading-tolerance-error').waitFor()
  t.match(await text('#grading-tolerance-error'), />= 0/)
  t.equal(await page.getByLabel('Numeric tolerance').getAttribute('aria-invalid'), 'true')
  await page.getByLabel('Numeric tolerance').fill('0')
  await page.getByRole('button', { name: 'Save changes' }).click()
  await page.locator('.form-status', { hasText: 'Saved.' }).waitFor()
  t.equal(await page.locator('#grading-tolerance-error').isVisible(), false, 'the error is gone once saved')
  t.equal(await page.getByLabel('Numeric tolerance').getAttribute('aria-invalid'), null)
})

const score = async () => Number((await text('#mutation-score')).replace('%', ''))

t.test('generates datasets, attaches one, and the mutation score rises', async t => {
  await page.getByRole('button', { name: 'Generate proposals' }).click()
  await page.getByRole('button', { name: 'Attach proposal 1' }).waitFor()
  t.match(await text('.proposal'), /catches 1 surviving mutant/)
  const before = await score()
  await page.getByRole('button', { name: 'Attach proposal 1' }).click()
  await page.locator('.dataset-count', { hasText: '2 hidden datasets' }).waitFor()
  await page.waitForFunction(previous => Number((globalThis as any).document.querySelector('#mutation-score').textContent.replace('%', '')) > previous, before)
  t.ok(await score() > before, `the score rose from ${before}% to ${await score()}%`)
  await screenshot(page, 'workspace-question')
})

t.test('a survivor judged equivalent, with why, leaves the score; the judgement can be taken back', async t => {
  const before = await score()
  t.ok(before < 100, `a survivor is left to judge (${before}%)`)
  const survivor = page.locator('.survivors:not(.equivalent) li').first()
  const query = await survivor.locator('code').textContent()
  await survivor.getByRole('button', { name: 'Mark equivalent' }).click()
  t.equal(await page.locator('.survivors.equivalent').count(), 0, 'without a reason nothing is sent')
  await survivor.getByLabel('Why it is equivalent').fill('every animal has exactly one keeper here')
  await survivor.getByRole('button', { name: 'Mark equivalent' }).click()
  await page.locator('.survivors.equivalent').waitFor()
  await page.locator('.survivors.equivalent summary').click()
  t.equal(await page.locator('.survivors.equivalent code').first().textContent(), query, 'the mutant is listed as judged')
  t.match(await text('.survivors.equivalent'), /Equivalent: every animal has exactly one keeper here/)
  t.ok(await score() > before, `the score leaves it out: ${before}% -> ${await score()}%`)
  await screenshot(page, 'workspace-equivalent')

  await page.locator('.survivors.equivalent').getByRole('button', { name: 'Not equivalent' }).first().click()
  await page.waitForFunction(() => (globalThis as any).document.querySelector('.survivors.equivalent') === null)
  t.equal(await score(), before, 'taken back: the score as before')
})

t.test('a schema in use cannot be deleted: the refusal is shown by the button', async t => {
  await page.goto(`${system.url}/#/workspace/schemas/zoo`)
  await page.getByRole('button', { name: 'Delete schema' }).click()
  await page.getByRole('button', { name: 'Yes, delete zoo' }).click()
  await page.locator('#delete-schema-error').waitFor()
  t.match(await text('#delete-schema-error'), /used by 1 question/)
  t.equal(await page.getByRole('button', { name: 'Delete schema' }).getAttribute('aria-describedby'), 'delete-schema-error')
})

t.test('a student never sees the workspace, and the API refuses its calls', async t => {
  const { page: studentPage } = student
  await devSignIn(studentPage, system.url, { name: 'Ada Student', role: 'Student' })
  const nav = await studentPage.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()
  t.same(nav, ['Questions', 'My progress', 'Leaderboard'], 'no workspace link')
  await studentPage.goto(`${system.url}/#/workspace/schemas/zoo`)
  await studentPage.getByText('The workspace is for teachers').waitFor()
  t.same(workspaceChunks, [], "the workspace's code was never fetched")
  t.equal(await callFromPage(studentPage, 'POST', '/schemas', { id: 'mine', description: 'x', initial_sql: 'CREATE TABLE t (x)' }), 403)
  t.equal(await callFromPage(studentPage, 'GET', '/schemas/zoo/full'), 403)
  t.equal(await callFromPage(studentPage, 'POST', '/schemas/zoo/preview', { query: 'SELECT 1' }), 403)
  t.equal(await callFromPage(studentPage, 'GET', `/questions/${questionId}/mistakes`), 403)
  t.equal(await callFromPage(studentPage, 'DELETE', `/questions/${questionId}`), 403)
  await screenshot(studentPage, 'student-no-workspace')
})

t.test('the student solves it; the list marks it, progress and the leaderboard change', async t => {
  const { page: studentPage } = student
  const studentText = reader(studentPage).text
  await studentPage.goto(`${system.url}/#/leaderboard?period=week&by=points`)
  await studentPage.getByText('Nobody has solved a question in this period yet').waitFor()

  await studentPage.goto(`${system.url}/#/questions?type=filtering&difficulty=easy`)
  await studentPage.getByRole('link', { name: title }).click()
  await studentPage.getByRole('heading', { level: 1, name: title }).waitFor()
  // Learners see the diagram too, in a dialog that Escape closes.
  await studentPage.getByRole('button', { name: 'Show the diagram' }).click()
  await studentPage.locator('dialog .er-diagram').waitFor()
  t.equal(await studentPage.locator('dialog .er-table').count(), 4)
  await screenshot(studentPage, 'student-diagram')
  await studentPage.keyboard.press('Escape')
  await studentPage.locator('dialog').waitFor({ state: 'detached' })
  t.equal(await studentPage.evaluate(() => (globalThis as any).document.activeElement?.textContent), 'Show the diagram', 'focus returns to the button')
  for (const query of [wrongAnswer, answer]) {
    await setEditorText(studentPage, '.work .editor', query)
    await studentPage.getByRole('button', { name: 'Run', exact: true }).click()
    await studentPage.locator('#result tbody tr').waitFor()
    await studentPage.getByRole('button', { name: 'Compare with the answer' }).click()
    await studentPage.locator(query === answer ? '.verdict-same' : '.verdict-different').waitFor()
  }
  // And a wrong try at a seeded question: attempted, not solved.
  await studentPage.goto(`${system.url}/#/questions`)
  await studentPage.getByRole('link', { name: 'Electronics under 100' }).click()
  await setEditorText(studentPage, '.work .editor', 'SELECT name FROM products')
  await studentPage.getByRole('button', { name: 'Run', exact: true }).click()
  await studentPage.locator('#result tbody tr').first().waitFor()
  await studentPage.getByRole('button', { name: 'Compare with the answer' }).click()
  await studentPage.locator('.verdict-different').waitFor()

  await studentPage.goto(`${system.url}/#/questions?type=filtering&difficulty=easy`)
  await studentPage.locator(`tr[data-question="${questionId}"] .status-solved`).waitFor()
  t.equal(await studentText('tr[data-question="1"] .status-cell'), 'Attempted')
  t.equal(await studentText(`tr[data-question="${questionId}"] .status-cell`), '✓ Solved')
  await screenshot(studentPage, 'list-marks')

  await studentPage.getByRole('link', { name: 'My progress' }).click()
  await studentPage.locator('#my-points').waitFor()
  t.equal(await studentText('#my-points'), '110', '100 to start, 10 for an easy question')
  t.equal(await studentText('#my-solved'), '1')
  t.equal(await studentText('#my-attempted'), '2')
  t.equal(await studentText('tr[data-difficulty="easy"] .solved'), '1')
  t.equal(await studentText('tr[data-difficulty="easy"] .attempted'), '2')
  await studentPage.locator('tr[data-submission]').nth(2).waitFor()
  const verdicts = await reader(studentPage).texts('.submissions .verdict-cell')
  t.same(verdicts, ['✗ columns differ', '✓ correct', '✗ values differ'], 'newest first, with reasons')
  t.match(await studentText('.points-history tbody tr:first-child'), new RegExp(`\\+10\\s*Solved ${title}`))
  t.match(await studentText('.balance-chart figcaption'), /from 100 to 110 points/)
  await screenshot(studentPage, 'progress')

  await studentPage.getByRole('link', { name: 'Leaderboard' }).click()
  await studentPage.locator('table.leaderboard tbody tr').first().waitFor()
  t.same((await reader(studentPage).texts('table.leaderboard tbody tr:first-child td')), ['1', 'Ada Studentyou', '10', '1'], 'the name from the sign-in, marked as you')
  await studentPage.getByRole('link', { name: 'Questions solved' }).click()
  await studentPage.waitForFunction(() => (globalThis as any).location.hash === '#/leaderboard?period=week&by=solved')
  await studentPage.locator('table.leaderboard th.sorted', { hasText: 'Solved' }).waitFor()
  await screenshot(studentPage, 'leaderboard')
})

t.test('the teacher sees the submissions in the statistics and the wrong one in the mistakes', async t => {
  await page.goto(`${system.url}/#/workspace/questions/${questionId}`)
  await page.locator('#stat-submissions').waitFor()
  t.equal(await text('#stat-submissions'), '2')
  t.equal(await text('#stat-correct'), '1')
  t.equal(await text('#stat-solved'), '1')
  t.equal(await text('#stat-pass-rate'), '100%')
  await page.locator('.mistake').first().waitFor()
  t.equal(await page.locator('.mistake').count(), 1)
  t.match(await text('.mistake-head'), /1 wrong answer.*values differ/)
  t.match(await text('.mistake .examples'), /ORDER BY name DESC/)
  t.same(await texts('.mistake .diff-side.expected td'), ['Leo', '4'])
  await screenshot(page, 'workspace-insights')
})

t.test('nothing threw, and nothing left the origin', async t => {
  t.same(teacher.pageErrors, [])
  t.same(student.pageErrors, [])
  t.same(teacher.foreignRequests, [])
  t.same(student.foreignRequests, [])
})
