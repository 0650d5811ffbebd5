// Teacher writes made during a fault: a schema and a question on it, each
// recorded with what the teacher saw, so a test can check durability after.
import { randomBytes } from 'node:crypto'
import { request, type Outcome } from './harness.ts'

export interface TeacherWrite {
  schemaId: string
  questionTitle: string
  schema: Outcome
  /** on the new schema, or on `shop` when the schema was refused */
  question?: Outcome
}

export async function teacherWrites (url: string, token: string, label: string, count: number, spacingMs = 300): Promise<TeacherWrite[]> {
  const writes: TeacherWrite[] = []
  for (let i = 0; i < count; i++) {
    const suffix = randomBytes(4).toString('hex')
    const schemaId = `${label}-${suffix}`
    const questionTitle = `Fault ${label} ${suffix}`
    const schema = await request(url, 'create schema', 'POST', '/schemas', {
      token,
      body: JSON.stringify({ id: schemaId, description: 'made during a fault', initial_sql: `CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (${i}), (${i + 1});` })
    })
    const write: TeacherWrite = { schemaId, questionTitle, schema }
    // A question on a schema that may or may not exist: it must not be half-made either way.
    write.question = await request(url, 'create question', 'POST', '/questions', {
      token,
      body: JSON.stringify({ schema_id: schema.status === 201 ? schemaId : 'shop', type: 'fault', difficulty: 'easy', title: questionTitle, description: 'made during a fault', answer: 'SELECT 1' })
    })
    writes.push(write)
    await new Promise(resolve => setTimeout(resolve, spacingMs))
  }
  return writes
}
