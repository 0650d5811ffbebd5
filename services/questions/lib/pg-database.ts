// The domain modules' database slice (database.ts) over one pg client, for
// code that runs outside the service: the seeds and the bank scripts. The
// `sql` tag makes parameterised queries (values never become SQL text) and
// nests: a fragment inside a query is inlined with its own values.
import type { ClientBase } from 'pg'
import type { Database, Db, Queryable, Sql, SqlQuery } from './database.ts'

interface Fragment extends SqlQuery {
  strings: readonly string[]
  values: unknown[]
}

const fragments = new WeakSet<object>()

export const pgSql: Sql = (strings, ...values) => {
  const fragment: Fragment = { strings: [...strings], values }
  fragments.add(fragment)
  return fragment
}

function compile (query: SqlQuery, params: unknown[]): string {
  if (!fragments.has(query)) throw new TypeError('expected a query made with the sql tag')
  const { strings, values } = query as Fragment
  let text = strings[0] ?? ''
  values.forEach((value, index) => {
    if (typeof value === 'object' && value !== null && fragments.has(value)) {
      text += compile(value as SqlQuery, params)
    } else {
      params.push(value)
      text += `$${params.length}`
    }
    text += strings[index + 1]
  })
  return text
}

export function pgDatabase (client: ClientBase): Db {
  const queryable: Queryable = {
    async query (query) {
      const params: unknown[] = []
      const text = compile(query, params)
      return (await client.query(text, params)).rows
    }
  }
  let inTransaction = false
  const db: Database = {
    ...queryable,
    async tx (fn) {
      if (inTransaction) throw new Error('pgDatabase: transactions do not nest')
      inTransaction = true
      await client.query('BEGIN')
      try {
        const result = await fn(queryable)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        inTransaction = false
      }
    }
  }
  return { db, sql: pgSql }
}
